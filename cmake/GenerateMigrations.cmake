# Script mode: writes OUT, a .cpp defining bai2aml::state::embedded_migrations().
file(GLOB SQL_FILES ${MIGRATIONS_DIR}/[0-9][0-9][0-9][0-9]_*.sql)
list(SORT SQL_FILES)
set(body "")
foreach(f IN LISTS SQL_FILES)
  get_filename_component(name ${f} NAME_WE)
  string(REGEX MATCH "^[0-9]+" num ${name})
  math(EXPR version "${num}")
  file(READ ${f} sql)
  string(APPEND body "    {${version}, \"${name}\", R\"bai2aml_sql(${sql})bai2aml_sql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp
"// Generated from migrations/*.sql by cmake/GenerateMigrations.cmake. Do not edit.\n"
"#include \"state/migration.hpp\"\n"
"namespace bai2aml::state {\n"
"const std::vector<Migration>& embedded_migrations() {\n"
"  static const std::vector<Migration> all = {\n${body}  };\n"
"  return all;\n}\n}  // namespace bai2aml::state\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
