// Links against the fake library. `check_cpp` : auki::ensure_compatible() must throw, naming both
// versions (the fake claims 99.0). `check_cpp accept` : it must not throw (the fake claims 2.x, this header's major).
#include <auki.hpp>
#include <cstdio>
#include <cstring>

int main(int argc, char **argv) {
    const bool expect_accept = argc > 1 && std::strcmp(argv[1], "accept") == 0;
    try {
        auki::ensure_compatible();
    } catch (const auki::Error &e) {
        std::printf("refused: %s\n", e.what());
        return !expect_accept && std::strstr(e.what(), "ABI 99.0") && std::strstr(e.what(), "ABI 2.") ? 0 : 1;
    }
    std::printf(expect_accept ? "accepted\n" : "a mismatched library was accepted\n");
    return expect_accept ? 0 : 1;
}
