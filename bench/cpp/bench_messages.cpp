// bench_messages.cpp — what auki.hpp's message overload costs per pose, beside the same pose's pre-encoded
// bytes through the bytes overloads and a plain fwrite of those bytes, all in the same run on the same disk.
// Not a test: no thresholds; run through bench/cpp/run.sh.
//
//   bench_messages <dir> [scale=1.0]
//
// The pose: auki.pose.SpatialTransform with all seven doubles non-zero (67 bytes on the wire), built once.
//   message      Log::append(ts, msg): type check (remembered), ByteSizeLong + SerializeToArray into the
//                thread's buffer, auki_log_append_typed (the core decodes it to check it)
//   typed bytes  Log::append_typed(ts, bytes) of the pre-encoded pose: the core's check, no C++ encode
//   bytes        Log::append(ts, bytes) of the pre-encoded pose: auki_log_append, no check
//   encode only  SerializeToArray into a reused buffer, nothing written
//   fwrite       the pre-encoded bytes with the log's framing (i64 ts, u32 len, payload) into one FILE* with
//                a real 1 MiB buffer (setvbuf with a non-NULL buffer: with NULL glibc keeps 4 KiB)
// Each round runs every method over n entries, interleaved, so machine noise lands on all of them; appends
// are timed until the last call returns, the flush/fclose after it is not (for any of them).
#include <auki.hpp>

#include "auki/pose.pb.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string ref(const std::string &id, const std::string &hash) {
    return "{\"peer_id\":\"bench\",\"id\":\"" + id + "\",\"hash\":\"" + hash + "\"}";
}

struct Method {
    const char *name;
    std::vector<double> seconds;
};

} // namespace

int main(int argc, char **argv) try {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DIR [scale]\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    const double scale = argc > 2 ? std::atof(argv[2]) : 1.0;
    const long n = std::max(1000L, static_cast<long>(500000 * scale));
    const int rounds = 5;

    auki::Peer peer("bench", "bench-cpp");
    peer.with_storage_root(dir + "/store");
    auki::Session session = peer.start_session();
    const std::string clock = session.register_clock(
        "session/sdk_clock", R"({"type":"monotonic_clock","unit":"ns","monotonic":true,"scope":"device-local"})");
    const std::string world = peer.register_frame("world", "ros_body");
    auto pose_log = [&](const std::string &to) {
        const std::string hash = peer.register_frame(to, "ros_body");
        return session.register_log("pose", "{\"from_frame\":" + ref("world", world) + ",\"to_frame\":" +
                                                ref(to, hash) + ",\"clock\":" + ref("session/sdk_clock", clock) +
                                                R"(,"source":{"kind":"manual"},"writer_mode":"movable",)"
                                                R"("expected_rate_hz":1000,"head":{"kind":"fixed"},)"
                                                R"("segment_duration_ns":1000000000000000,"retention_ns":0})");
    };
    auki::Log message_log = pose_log("message"), typed_log = pose_log("typed"), bytes_log = pose_log("bytes");

    auki::pose::SpatialTransform pose;
    pose.mutable_translation()->set_x(1.5);
    pose.mutable_translation()->set_y(-2.0);
    pose.mutable_translation()->set_z(3.25);
    pose.mutable_orientation()->set_x(0.1);
    pose.mutable_orientation()->set_y(0.2);
    pose.mutable_orientation()->set_z(0.3);
    pose.mutable_orientation()->set_w(0.927);
    const std::string encoded = pose.SerializeAsString();
    const auki::bytes_view bytes(reinterpret_cast<const std::byte *>(encoded.data()), encoded.size());
    std::vector<unsigned char> scratch(encoded.size());

    static char file_buffer[1 << 20];
    FILE *file = std::fopen((dir + "/fwrite.bin").c_str(), "wb");
    if (!file || std::setvbuf(file, file_buffer, _IOFBF, sizeof file_buffer) != 0) {
        std::perror("fwrite baseline file");
        return 1;
    }

    Method message{"C++ `append(ts, msg)` (message overload)", {}}, typed{"C++ `append_typed(ts, bytes)`", {}},
        plain{"C++ `append(ts, bytes)`", {}}, encode{"encode only (`SerializeToArray`)", {}},
        fwrite_{"`fwrite` of the same framed bytes, 1 MiB buffer", {}};
    int64_t ts = 0;
    volatile unsigned char sink = 0;
    for (int round = 0; round < rounds; ++round) {
        const int64_t first = ts;
        double t0 = now_s();
        for (long i = 0; i < n; ++i) message_log.append(first + i, pose);
        message.seconds.push_back(now_s() - t0);
        t0 = now_s();
        for (long i = 0; i < n; ++i) typed_log.append_typed(first + i, bytes);
        typed.seconds.push_back(now_s() - t0);
        t0 = now_s();
        for (long i = 0; i < n; ++i) bytes_log.append(first + i, bytes);
        plain.seconds.push_back(now_s() - t0);
        t0 = now_s();
        for (long i = 0; i < n; ++i) {
            pose.SerializeToArray(scratch.data(), static_cast<int>(scratch.size()));
            sink = sink + scratch[static_cast<std::size_t>(i) % scratch.size()];
        }
        encode.seconds.push_back(now_s() - t0);
        t0 = now_s();
        for (long i = 0; i < n; ++i) {
            const int64_t stamp = first + i;
            const uint32_t len = static_cast<uint32_t>(encoded.size());
            if (std::fwrite(&stamp, sizeof stamp, 1, file) != 1 || std::fwrite(&len, sizeof len, 1, file) != 1 ||
                std::fwrite(encoded.data(), 1, encoded.size(), file) != encoded.size()) {
                std::perror("fwrite");
                return 1;
            }
        }
        fwrite_.seconds.push_back(now_s() - t0);
        ts += n;
        message_log.flush();
        typed_log.flush();
        bytes_log.flush();
        std::fflush(file);
    }
    std::fclose(file);
    message_log.close();
    typed_log.close();
    bytes_log.close();

    auto best = [](const Method &m) { return *std::min_element(m.seconds.begin(), m.seconds.end()); };
    auto median = [](Method m) {
        std::sort(m.seconds.begin(), m.seconds.end());
        return m.seconds[m.seconds.size() / 2];
    };
    const double baseline = best(fwrite_);
    std::printf("%ld poses (%zu bytes each) per method and round, %d rounds interleaved\n\n", n, encoded.size(),
                rounds);
    std::printf("| per pose | best | median | best / fwrite best |\n|---|---:|---:|---:|\n");
    for (const Method *m : {&message, &typed, &plain, &encode, &fwrite_})
        std::printf("| %s | %.0f ns | %.0f ns | %.2fx |\n", m->name, best(*m) / n * 1e9, median(*m) / n * 1e9,
                    best(*m) / baseline);
    return 0;
} catch (const auki::Error &e) {
    std::fprintf(stderr, "bench_messages: %s (code %d)\n", e.what(), e.code());
    return 1;
}
