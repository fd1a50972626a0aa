/* SPDX-License-Identifier: MIT */
/* views_xlsx.c: the list to act on as a spreadsheet (views.h,
 * fr__overstayers_xlsx), for `frontera overstayers --format xlsx` and GET
 * /v1/overstayers?format=xlsx. libxlsxwriter writes the workbook to a file;
 * the server writes it to a temporary file and sends its bytes. Dates are
 * written as Excel dates (with a yyyy-mm-dd format, readable in any locale),
 * counts as numbers, text as text; the same columns as the CSV, headed in
 * English or Spanish words. */
#include <stdio.h>
#include <string.h>

#include <xlsxwriter.h>

#include "views.h"

/* The headings a person reads, in the reader's language (the CSV and JSON
 * keep fr__overstayer_columns, which programs read). */
static const char *const HEAD_EN[FR_OVERSTAYER_NCOLS] = {
    "Traveller",      "Surname",          "Given names",   "Nationality",
    "Document state", "Document number",  "Date of birth", "Entered",
    "Entry port",     "Authorised until", "Days over"};
static const char *const HEAD_ES[FR_OVERSTAYER_NCOLS] = {"Viajero",
                                                         "Apellidos",
                                                         "Nombres",
                                                         "Nacionalidad",
                                                         "Estado emisor",
                                                         "Número de documento",
                                                         "Fecha de nacimiento",
                                                         "Entrada",
                                                         "Puerto de entrada",
                                                         "Autorizado hasta",
                                                         "Días de exceso"};

/* An fr_date (days since 1970-01-01) as an Excel serial date (1900 system). */
static double excel_date(fr_date d)
{
    return (double)d + 25569.0;
}

int fr__overstayers_xlsx(const char *path, fr_date as_of, const fr_overstayer *rows,
                         fr_history *const *hist, size_t n, int spanish, fr_error *err)
{
    const char *const *head = spanish ? HEAD_ES : HEAD_EN;
    lxw_workbook *wb = workbook_new(path);
    if (!wb) return fr_error_set(err, FR_EIO, 0, 0, "", "cannot create the workbook %s", path);
    char b[FR_DATE_BUFSZ], name[32];
    snprintf(name, sizeof name, "%s", fr_date_format(as_of, b));
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    lxw_format *bold = workbook_add_format(wb);
    lxw_format *date = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_num_format(date, "yyyy-mm-dd");
    for (size_t k = 0; k < FR_OVERSTAYER_NCOLS; k++)
        worksheet_write_string(ws, 0, (lxw_col_t)k, head[k], bold);
    for (size_t i = 0; i < n; i++) {
        char v[FR_OVERSTAYER_NCOLS][FR_OVERSTAYER_VALUE_MAX];
        lxw_row_t row = (lxw_row_t)(i + 1);
        fr__overstayer_values(&rows[i], hist ? hist[i] : NULL, v);
        for (size_t k = 0; k < FR_OVERSTAYER_NCOLS; k++) {
            lxw_col_t col = (lxw_col_t)k;
            fr_date d = FR_DATE_NONE;
            if (k == 0)
                worksheet_write_number(ws, row, col, (double)rows[i].traveller, NULL);
            else if (k == 10)
                worksheet_write_number(ws, row, col, rows[i].days_over, NULL);
            else if ((k == 6 || k == 7 || k == 9) && v[k][0] &&
                     fr_date_parse(v[k], strlen(v[k]), &d, NULL) == FR_OK)
                worksheet_write_number(ws, row, col, excel_date(d), date);
            else if (v[k][0])
                worksheet_write_string(ws, row, col, v[k], NULL);
        }
    }
    worksheet_set_column(ws, 0, FR_OVERSTAYER_NCOLS - 1, 16, NULL);
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, FR_OVERSTAYER_NCOLS - 1);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR)
        return fr_error_set(err, FR_EIO, 0, 0, "", "cannot write the workbook %s: %s", path,
                            lxw_strerror(e));
    return FR_OK;
}
