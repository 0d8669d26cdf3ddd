// A camera driver on AukiNative: declare the camera, then append 1920x1200 rgb8 frames at 30 Hz
// from a capture thread while the main thread tails the log.
// Usage: camera_driver STORAGE_ROOT [FRAMES]   (default 30 frames = one second)
#include <auki.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char **argv) try {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s STORAGE_ROOT [FRAMES]\n", argv[0]);
        return 2;
    }
    const int frames = argc > 2 ? std::atoi(argv[2]) : 30;

    auki::Peer peer("galbot", "camera-driver");
    peer.with_storage_root(argv[1]);
    const std::string frame = peer.register_frame("head_left_camera_optical", "ros_optical");
    const std::string sensor = peer.register_sensor("head_left_rgb", R"({
        "kind": "camera", "type": "rgb", "width": 1920, "height": 1200, "frame_rate_hz": 30,
        "image_encoding": "raw", "row_stride_bytes": 5760, "pixel_format": "rgb8", "color_space": "srgb",
        "intrinsics_model": "pinhole", "distortion_model": "brown_conrady",
        "frame": {"peer_id": "galbot", "id": "head_left_camera_optical", "hash": ")" +
                                                                         frame + R"("}})");
    auki::Session session = peer.start_session();
    const std::string clock = session.register_clock(
        "session/sdk_clock", R"({"type":"monotonic_clock","unit":"ns","monotonic":true,"scope":"device-local"})");
    auki::Log log = session.register_log("sensor", R"({
        "sensor": {"peer_id": "galbot", "id": "head_left_rgb", "hash": ")" +
                                                       sensor + R"("},
        "clock": {"peer_id": "galbot", "id": "session/sdk_clock", "hash": ")" +
                                                       clock + R"("},
        "head": {"kind": "rolling", "retention_ns": 10000000000},
        "segment_duration_ns": 1000000000, "retention_ns": 10000000000})");
    std::printf("appending %d frames to %s\n", frames, log.root().c_str());
    // The log knows its message type from the camera body; typed readers decode entries as it.
    std::printf("payload type %s, layout %s\n", log.payload_type().c_str(), log.frame_layout_json().c_str());
    try {
        log.append_typed(0, auki::bytes_view()); // an empty CameraFrame: no frame of this camera
    } catch (const auki::Error &e) { std::printf("typed append refused: %s\n", e.what()); }

    // Each entry is an auki.camera.CameraFrame whose only field is the frame (field 2, bytes): on the
    // wire, the tag 0x12, the frame's length as a varint, then the pixels. The capture writes straight
    // into the buffer after that prefix, so the typed append (which checks the frame's size against the
    // camera body) takes the entry without a copy; a program with protobuf would append a message.
    constexpr size_t image_size = 1920 * 1200 * 3;
    std::vector<std::byte> prefix{std::byte{0x12}};
    for (size_t n = image_size;; n >>= 7) {
        prefix.push_back(std::byte((n & 0x7F) | (n >= 0x80 ? 0x80 : 0)));
        if (n < 0x80) break;
    }

    auki::Tail tail = log.tail();
    std::atomic<bool> failed{false};
    std::thread capture([&] {
        std::vector<std::byte> entry(prefix.size() + image_size);
        std::copy(prefix.begin(), prefix.end(), entry.begin());
        std::byte *image = entry.data() + prefix.size();
        auto next = std::chrono::steady_clock::now();
        try {
            for (int i = 0; i < frames; ++i) {
                image[0] = std::byte(i); // stand-in for a real capture
                const auto ts = std::chrono::duration_cast<std::chrono::nanoseconds>(next.time_since_epoch()).count();
                log.append_typed(ts, auki::bytes_view(entry.data(), entry.size()));
                log.flush(); // make the frame visible to readers now
                next += std::chrono::nanoseconds(1'000'000'000 / 30);
                std::this_thread::sleep_until(next);
            }
        } catch (const auki::Error &e) {
            std::fprintf(stderr, "capture: %s (code %d)\n", e.what(), e.code());
            failed = true;
        }
    });

    int seen = 0;
    while (seen < frames && !failed) {
        if (auto entry = tail.next(1000)) {
            if (entry->payload.size() != prefix.size() + image_size ||
                entry->payload.data()[prefix.size()] != std::byte(seen)) {
                std::fprintf(stderr, "frame %d arrived damaged\n", seen);
                failed = true;
            }
            ++seen;
        }
    }
    capture.join();
    log.close();
    std::printf("tailed %d frames; catalog: %s\n", seen, session.catalog_json().c_str());
    return failed ? 1 : 0;
} catch (const auki::Error &e) {
    std::fprintf(stderr, "camera_driver: %s (code %d)\n", e.what(), e.code());
    return 1;
}
