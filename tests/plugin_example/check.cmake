# ctest: install execsim into a scratch prefix, build the out-of-tree
# plug-in example against it with find_package(execsim), and run the 14
# seed behaviours with it. Arguments: -DBUILD_DIR -DSOURCE_DIR -DWORK_DIR.
function(step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  message(STATUS "${out}")
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
step(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
step(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/plugin_example -B ${WORK_DIR}/build
     -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
step(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
execute_process(COMMAND ${WORK_DIR}/build/my-execsim run scenarios/order-executor
                        --executor audited --quiet --db ${WORK_DIR}/plugin.sqlite
                WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}${err}")
if(NOT rc EQUAL 0 OR NOT out MATCHES "14 passed, 0 failed, 0 errors")
  message(FATAL_ERROR "the plug-in did not pass the seed behaviours")
endif()
