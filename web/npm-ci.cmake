# npm-ci.cmake: run by the build (cmake -P) to fetch the packages the pages and
# their browser test need (web/package.json, pinned by web/package-lock.json)
# into the build directory, never into the source tree. Re-run only when the
# lock file changes (the stamp file is the custom command's output).
#   -DNPM=path/to/npm  -DSRC=web source dir  -DDIR=build dir for node_modules  -DSTAMP=stamp file
if(NOT NPM)
  message(FATAL_ERROR
    "frontera web: npm was not found. The web pages embed the chart library uPlot, which the build "
    "fetches from the npm registry. Install Node.js and npm (`make deps` runs scripts/install-deps.sh), "
    "then reconfigure.")
endif()
file(MAKE_DIRECTORY ${DIR})
file(COPY ${SRC}/package.json ${SRC}/package-lock.json DESTINATION ${DIR})
set(ENV{PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD} 1)
set(ENV{npm_config_update_notifier} false)
execute_process(
  COMMAND ${NPM} ci --no-audit --no-fund --prefer-offline --loglevel=error
  WORKING_DIRECTORY ${DIR}
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  # No registry: npm's cache may still hold the pinned packages.
  execute_process(
    COMMAND ${NPM} ci --no-audit --no-fund --offline --loglevel=error
    WORKING_DIRECTORY ${DIR}
    RESULT_VARIABLE rc_offline
    OUTPUT_QUIET ERROR_QUIET)
  if(rc_offline EQUAL 0)
    set(rc 0)
  endif()
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR
    "frontera web: `npm ci` failed in ${DIR} (exit ${rc}).\n"
    "The build needs the npm packages pinned in web/package-lock.json (uplot for the charts, "
    "playwright-core for the browser test). If this machine is offline, run the build once where the npm "
    "registry can be reached (npm keeps them in its cache, ~/.npm, and later builds use --prefer-offline, then --offline), "
    "or copy a node_modules/ holding them to ${DIR}/node_modules and touch ${STAMP}.\n"
    "npm said:\n${out}")
endif()
foreach(f node_modules/uplot/dist/uPlot.esm.js node_modules/uplot/dist/uPlot.min.css
          node_modules/playwright-core/package.json)
  if(NOT EXISTS ${DIR}/${f})
    message(FATAL_ERROR "frontera web: `npm ci` succeeded but ${DIR}/${f} is missing: "
                        "is web/package-lock.json out of date? Run `npm install` in web/ and commit the lock.")
  endif()
endforeach()
file(TOUCH ${STAMP})
