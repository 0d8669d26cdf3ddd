// check.hpp — the C test harness (tests/c/check.h, fixtures.h: TEST, CHECK, temporary roots) for the
// C++ wrapper's test programs, plus CHECK_THROWS for auki::Error.
#ifndef AUKI_TESTS_CHECK_HPP
#define AUKI_TESTS_CHECK_HPP

#include "../c/fixtures.h"

#include <auki.hpp>

#include <cstring>
#include <exception>
#include <string>

// expr throws auki::Error with this code and a message containing needle.
#define CHECK_THROWS(expr, code_, needle)                                                                              \
    do {                                                                                                               \
        g_checks++;                                                                                                    \
        try {                                                                                                          \
            (void) (expr);                                                                                             \
            fail_at(__FILE__, __LINE__, "%s did not throw (expected %d with \"%s\")", #expr, (code_), (needle));       \
        } catch (const auki::Error &e_) {                                                                              \
            if (e_.code() != (code_) || std::strstr(e_.what(), (needle)) == nullptr)                                   \
                fail_at(__FILE__, __LINE__, "%s threw %d (%s), expected %d with \"%s\"", #expr, e_.code(), e_.what(),  \
                        (code_), (needle));                                                                            \
        } catch (const std::exception &e_) {                                                                           \
            fail_at(__FILE__, __LINE__, "%s threw a std::exception (%s), not auki::Error", #expr, e_.what());          \
        }                                                                                                              \
    } while (0)

// expr does not throw; an auki::Error is reported with its message.
#define CHECK_NOTHROW(expr)                                                                                            \
    do {                                                                                                               \
        g_checks++;                                                                                                    \
        try {                                                                                                          \
            expr;                                                                                                      \
        } catch (const std::exception &e_) { fail_at(__FILE__, __LINE__, "%s threw: %s", #expr, e_.what()); }          \
    } while (0)

// Two strings are equal (std::string, string literals).
#define CHECK_STR(actual, expected)                                                                                    \
    do {                                                                                                               \
        g_checks++;                                                                                                    \
        const std::string a_ = (actual), e_ = (expected);                                                              \
        if (a_ != e_) fail_at(__FILE__, __LINE__, "%s is \"%s\", expected \"%s\"", #actual, a_.c_str(), e_.c_str());   \
    } while (0)

namespace test {

inline std::string hex(auki::bytes_view bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (std::byte b : bytes) {
        out += digits[std::to_integer<unsigned>(b) >> 4];
        out += digits[std::to_integer<unsigned>(b) & 15];
    }
    return out;
}

/// Any bytes as auki::bytes_view (std::span<const std::byte> in C++20 takes std::byte pointers only).
inline auki::bytes_view view(const void *data, std::size_t size) {
    return auki::bytes_view(static_cast<const std::byte *>(data), size);
}
inline auki::bytes_view view(const std::string &s) {
    return view(s.data(), s.size());
}

inline std::string ref(std::string_view peer_id, std::string_view id, std::string_view hash) {
    return "{\"peer_id\":\"" + std::string(peer_id) + "\",\"id\":\"" + std::string(id) + "\",\"hash\":\"" +
           std::string(hash) + "\"}";
}

/// A peer storing under a fresh temporary root, one session, its monotonic clock.
struct Recording {
    auki::Peer peer;
    auki::Session session;
    std::string clock;

    explicit Recording(const char *name)
        : peer("galbot", "galbot-cpp"), session(peer.with_storage_root(temp_root(name)).start_session()),
          clock(session.register_clock("session/sdk_clock", R"({"type":"monotonic_clock","unit":"ns",)"
                                                            R"("monotonic":true,"scope":"device-local"})")) {}

    /// A rigid pose log world -> head (fixed head): payload type auki.pose.SpatialTransform.
    auki::Log pose_log() {
        const std::string world = peer.register_frame("world", "ros_body");
        const std::string head = peer.register_frame("head", "ros_body");
        return session.register_log(
            "pose", "{\"from_frame\":" + ref("galbot", "world", world) + ",\"to_frame\":" +
                        ref("galbot", "head", head) + ",\"clock\":" + ref("galbot", "session/sdk_clock", clock) +
                        R"(,"source":{"kind":"manual"},"writer_mode":"rigid","expected_rate_hz":0,)"
                        R"("head":{"kind":"fixed"},"segment_duration_ns":1000000000000,"retention_ns":0})");
    }

    /// A raw camera log (rolling head): payload type auki.camera.CameraFrame of height x stride bytes.
    auki::Log camera_log(std::string_view id, int width, int height, std::string_view pixel_format, int stride) {
        const std::string optical = peer.register_frame(std::string(id) + "_optical", "ros_optical");
        const std::string sensor = peer.register_sensor(
            id, R"({"kind":"camera","type":"rgb","width":)" + std::to_string(width) + ",\"height\":" +
                    std::to_string(height) + R"(,"frame_rate_hz":30,"image_encoding":"raw","row_stride_bytes":)" +
                    std::to_string(stride) + ",\"pixel_format\":\"" + std::string(pixel_format) +
                    R"(","color_space":"srgb","intrinsics_model":"pinhole","distortion_model":"none","frame":)" +
                    ref("galbot", std::string(id) + "_optical", optical) + "}");
        return sensor_log(id, sensor);
    }

    /// An rf (uwb) sensor log: opaque payloads, no message type.
    auki::Log rf_log(std::string_view id) {
        const std::string antenna = peer.register_frame(std::string(id) + "_antenna", "ros_body");
        const std::string sensor = peer.register_sensor(
            id, R"({"kind":"rf","type":"uwb","frame":)" + ref("galbot", std::string(id) + "_antenna", antenna) + "}");
        return sensor_log(id, sensor);
    }

  private:
    auki::Log sensor_log(std::string_view id, const std::string &sensor_hash) {
        return session.register_log("sensor", "{\"sensor\":" + ref("galbot", id, sensor_hash) +
                                                  ",\"clock\":" + ref("galbot", "session/sdk_clock", clock) +
                                                  R"(,"head":{"kind":"rolling","retention_ns":0},)"
                                                  R"("segment_duration_ns":1000000000000,"retention_ns":0})");
    }
};

/// Every entry's payload, as hex, in order.
inline std::vector<std::string> payloads_hex(auki::Log &log) {
    std::vector<std::string> out;
    auki::Reader reader = log.read();
    while (auto entry = reader.next()) out.push_back(hex(entry->payload));
    return out;
}

} // namespace test

#endif // AUKI_TESTS_CHECK_HPP
