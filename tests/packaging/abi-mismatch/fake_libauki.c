/* A stand-in libauki that claims ABI FAKE_MAJOR.FAKE_MINOR (default 99.0): loaders must refuse another major with a clear message. */
#include <stdint.h>
#ifndef FAKE_MAJOR
#define FAKE_MAJOR 99u
#endif
#ifndef FAKE_MINOR
#define FAKE_MINOR 0u
#endif
uint32_t auki_abi_version(void) {
    return (FAKE_MAJOR << 16) | FAKE_MINOR;
}
const char *auki_last_error_message(void) {
    return "";
}
