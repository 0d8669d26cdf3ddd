/* A stand-in libauki that claims ABI 2.0: loaders must refuse it with a clear message. */
#include <stdint.h>
uint32_t auki_abi_version(void) { return (2u << 16) | 0u; }
const char *auki_last_error_message(void) { return ""; }
