/* server_reports.c: GET /v1/reports/flows, GET /v1/reports/overstays,
 * GET /v1/alerts and POST /v1/reports/whatif. The report engine
 * (analytics.h, alerts.h, whatif.h) is not part of this build yet: the
 * routes exist, check the role (analyst, supervisor, admin) and answer 501
 * with a problem document saying so. */
#include "server_internal.h"

enum MHD_Result srv_report(srv_req *r)
{
    return srv_problem(r, 501, "not-implemented", "Report engine not in this build", NULL, NULL,
                       "%s %s needs the report engine, which is not in this build of frontera",
                       srv_route_method(r->route), srv_route_template(r->route));
}
