// LeakSanitizer suppressions for this test binary (read by LSan at exit in sanitizer builds).
// cpprestsdk's HTTPS client (tests/support/http_client.cpp) leaves OpenSSL allocations behind after a
// TLS handshake in this process; the emulator itself exits leak-free under ASan. Third-party only.
extern "C" const char* __lsan_default_suppressions();
extern "C" const char* __lsan_default_suppressions() { return "leak:libcrypto.so\nleak:libssl.so\n"; }
