# Compiles migrations/NNNN_name.sql into a C++ table, so the binary never looks files up at run time.
function(bai2aml_embed_migrations out_cpp)
  file(GLOB sql_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/migrations/[0-9][0-9][0-9][0-9]_*.sql)
  list(SORT sql_files)
  add_custom_command(
    OUTPUT ${out_cpp}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out_cpp} -DMIGRATIONS_DIR=${PROJECT_SOURCE_DIR}/migrations -P ${PROJECT_SOURCE_DIR}/cmake/GenerateMigrations.cmake
    DEPENDS ${sql_files} ${PROJECT_SOURCE_DIR}/cmake/GenerateMigrations.cmake
    COMMENT "Embedding SQL migrations")
endfunction()
