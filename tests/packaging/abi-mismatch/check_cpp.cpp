// Links against the fake library: auki::ensure_compatible() must throw, naming both versions.
#include <auki.hpp>
#include <cstdio>
#include <cstring>

int main() {
    try {
        auki::ensure_compatible();
    } catch (const auki::Error &e) {
        std::printf("refused: %s\n", e.what());
        return std::strstr(e.what(), "ABI 2.0") && std::strstr(e.what(), "ABI 1.") ? 0 : 1;
    }
    std::printf("a mismatched library was accepted\n");
    return 1;
}
