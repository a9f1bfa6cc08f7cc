#include <cstdio>
int main() { std::puts("bai2aml " BAI2AML_VERSION); return 0; }
