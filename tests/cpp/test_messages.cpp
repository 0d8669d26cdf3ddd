// test_messages.cpp — auki.hpp's typed payloads with the classes protoc generates from proto/auki/*.proto:
// Log::append(ts, msg) writes upstream's bytes (the locked vectors, and auki_datatypes' encoding of the same
// values), Log::messages<M>() / Reader / Tail read them back as messages, and a wrong message type, a
// raw frame of the wrong size or an entry that does not parse are refused with the types and numbers.
//   test_messages PYTHON_ENCODINGS   (the output of tests/cpp/python_encodings.py; tests/cpp/run.sh passes it)
#include "check.hpp"

#include "auki/camera.pb.h"
#include "auki/detection.pb.h"
#include "auki/pose.pb.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <type_traits>
#include <vector>

using auki::camera::CameraFrame;
using auki::pose::SpatialTransform;

// Upstream's locked wire vectors (../shared/reference/auki-datatypes.md §3.1), which auki_datatypes' tests pin too.
static const char LOCKED_POSE[] = "0a1b09000000000000f03f110000000000000040190000000000000840120921000000000000f03f";
static const char LOCKED_CAMERA[] = "0a4e0900000000004a93401100000000004a9340190000000000007140210000000000806e402a289a"
                                    "9999999999b93f9a9999999999c9bffca9"
                                    "f1d24d62503ffca9f1d24d62603f0000000000000000120400010203";

static const char *g_python_encodings = nullptr;

// The message overload is chosen for messages, including those with a data() accessor that bytes_view's
// converting constructor would otherwise take; containers of bytes keep the bytes overload.
static_assert(auki::is_message_v<SpatialTransform> && auki::is_message_v<auki::detection::DetectionFrame>);
static_assert(!auki::is_message_v<std::vector<std::byte>> && !auki::is_message_v<auki::bytes_view>);

static SpatialTransform pose(double tx, double ty, double tz, double qx, double qy, double qz, double qw) {
    SpatialTransform t;
    t.mutable_translation()->set_x(tx);
    t.mutable_translation()->set_y(ty);
    t.mutable_translation()->set_z(tz);
    t.mutable_orientation()->set_x(qx);
    t.mutable_orientation()->set_y(qy);
    t.mutable_orientation()->set_z(qz);
    t.mutable_orientation()->set_w(qw);
    return t;
}

static CameraFrame camera_frame(std::string frame) {
    CameraFrame f;
    f.set_frame(std::move(frame));
    return f;
}

TEST(test_a_pose_message_is_written_as_upstreams_locked_bytes) {
    test::Recording rec("locked_pose");
    auki::Log log = rec.pose_log();
    CHECK_STR(log.payload_type(), "auki.pose.SpatialTransform");
    log.append(0, pose(1, 2, 3, 0, 0, 0, 1));
    log.flush();
    const std::vector<std::string> written = test::payloads_hex(log);
    CHECK(written.size() == 1);
    if (!written.empty()) CHECK_STR(written[0], LOCKED_POSE);
    int seen = 0;
    for (auto [ts, msg] : log.messages<SpatialTransform>()) {
        CHECK(ts == 0);
        CHECK(msg.translation().x() == 1 && msg.translation().y() == 2 && msg.translation().z() == 3);
        CHECK(msg.orientation().x() == 0 && msg.orientation().w() == 1);
        ++seen;
    }
    CHECK(seen == 1);
}

TEST(test_a_camera_message_is_written_as_upstreams_locked_bytes) {
    test::Recording rec("locked_camera");
    auki::Log log = rec.camera_log("cam", 2, 2, "luma8", 2); // 4-byte frames, as the locked vector holds
    CHECK_STR(log.payload_type(), "auki.camera.CameraFrame");
    CameraFrame frame = camera_frame(std::string("\x00\x01\x02\x03", 4));
    auto *k = frame.mutable_dynamic_intrinsics();
    k->set_fx(1234.5);
    k->set_fy(1234.5);
    k->set_cx(272.0);
    k->set_cy(244.0);
    for (double d : {0.1, -0.2, 0.001, 0.002, 0.0}) k->add_distortion_coefficients(d);
    log.append(7, frame);
    log.flush();
    const std::vector<std::string> written = test::payloads_hex(log);
    CHECK(written.size() == 1);
    if (!written.empty()) CHECK_STR(written[0], LOCKED_CAMERA);
    auto messages = log.messages<CameraFrame>();
    CameraFrame back;
    CHECK(messages.next(back) == std::optional<int64_t>(7));
    CHECK(back.frame() == std::string("\x00\x01\x02\x03", 4));
    CHECK(back.dynamic_intrinsics().distortion_coefficients_size() == 5 && back.dynamic_intrinsics().cx() == 272.0);
    CHECK(!messages.next(back));
}

TEST(test_messages_and_bytes_go_into_one_log_and_read_back_in_order) {
    test::Recording rec("mixed");
    auki::Log log = rec.camera_log("cam", 4, 2, "rgb8", 12);
    for (int i = 0; i < 3; ++i) log.append(i, camera_frame(std::string(24, char('a' + i))));
    const std::string encoded = camera_frame(std::string(24, 'z')).SerializeAsString();
    log.append(3, test::view(encoded)); // bytes still go in unchanged
    auki::Log moved = std::move(log);   // a moved handle keeps appending messages
    moved.append(4, camera_frame(std::string(24, 'y')));
    moved.flush();
    std::vector<int64_t> stamps;
    std::string firsts;
    for (auto [ts, msg] : moved.messages<CameraFrame>()) {
        stamps.push_back(ts);
        firsts += msg.frame().substr(0, 1);
    }
    CHECK(stamps == (std::vector<int64_t>{0, 1, 2, 3, 4}));
    CHECK_STR(firsts, "abczy");
    CHECK(test::payloads_hex(moved)[3] == test::hex(test::view(encoded)));
    int in_window = 0;
    for (const auto &entry : moved.messages<CameraFrame>(1, 2)) in_window += entry.message.frame().size() == 24;
    CHECK(in_window == 2);
    // A reader opened by path parses too (it knows no type: the caller names it).
    auki::Reader reader = auki::Reader::open(moved.root(), 2);
    CameraFrame frame;
    CHECK(reader.next_message(frame) == std::optional<int64_t>(2) && frame.frame() == std::string(24, 'c'));
}

TEST(test_a_message_of_the_wrong_type_is_refused_naming_both_types) {
    test::Recording rec("wrong_type");
    auki::Log camera = rec.camera_log("cam", 4, 2, "rgb8", 12);
    auki::Log poses = rec.pose_log();
    CHECK_THROWS(camera.append(0, pose(1, 2, 3, 0, 0, 0, 1)), AUKI_ERR_INVALID_ARGUMENT,
                 "payload: expected auki.camera.CameraFrame, got auki.pose.SpatialTransform");
    CHECK_THROWS(poses.append(0, camera_frame(std::string(24, 'a'))), AUKI_ERR_INVALID_ARGUMENT,
                 "payload: expected auki.pose.SpatialTransform, got auki.camera.CameraFrame");
    // A message with a data() accessor is still a message, not bytes.
    CHECK_THROWS(poses.append(0, auki::detection::DetectionFrame()), AUKI_ERR_INVALID_ARGUMENT,
                 "payload: expected auki.pose.SpatialTransform, got auki.detection.DetectionFrame");
    CHECK_THROWS(camera.messages<SpatialTransform>(), AUKI_ERR_INVALID_ARGUMENT,
                 "payload: expected auki.camera.CameraFrame, got auki.pose.SpatialTransform");
    // After a message of the right type passed (the check is then remembered), a wrong one is still refused.
    CHECK_NOTHROW(camera.append(0, camera_frame(std::string(24, 'a'))));
    CHECK_THROWS(camera.append(1, pose(1, 2, 3, 0, 0, 0, 1)), AUKI_ERR_INVALID_ARGUMENT,
                 "got auki.pose.SpatialTransform");
    camera.flush();
    poses.flush();
    CHECK(test::payloads_hex(camera).size() == 1);
    CHECK(test::payloads_hex(poses).empty());
}

TEST(test_a_raw_frame_of_the_wrong_size_is_refused_with_both_numbers) {
    test::Recording rec("frame_size");
    auki::Log log = rec.camera_log("cam", 640, 480, "rgb8", 1920);
    CHECK_THROWS(log.append(0, camera_frame(std::string(100, '\0'))), AUKI_ERR_INVALID_ARGUMENT,
                 "frame: 100 bytes, expected 921600 (height 480 × row_stride_bytes 1920");
    CHECK_NOTHROW(log.append(1, camera_frame(std::string(921600, '\1'))));
    // The size is checked on every append, not only on the first of a message type.
    CHECK_THROWS(log.append(2, camera_frame(std::string(921599, '\0'))), AUKI_ERR_INVALID_ARGUMENT,
                 "frame: 921599 bytes, expected 921600");
    log.flush();
    std::vector<int64_t> stamps;
    for (auto [ts, msg] : log.messages<CameraFrame>()) {
        stamps.push_back(ts);
        CHECK(msg.frame().size() == 921600);
    }
    CHECK(stamps == std::vector<int64_t>{1});
}

TEST(test_a_log_of_opaque_payloads_refuses_messages_and_keeps_taking_bytes) {
    test::Recording rec("opaque");
    auki::Log log = rec.rf_log("uwb");
    CHECK_STR(log.payload_type(), "");
    CHECK_THROWS(log.append(0, pose(1, 2, 3, 0, 0, 0, 1)), AUKI_ERR_INVALID_ARGUMENT,
                 "payload: log 'uwb' has opaque payloads; pass bytes, not auki.pose.SpatialTransform");
    CHECK_THROWS(log.messages<SpatialTransform>(), AUKI_ERR_INVALID_ARGUMENT, "has opaque payloads");
    const std::vector<std::byte> raw{std::byte{1}, std::byte{2}};
    CHECK_NOTHROW(log.append(0, raw));
    log.flush();
    CHECK(test::payloads_hex(log) == std::vector<std::string>{"0102"});
}

TEST(test_an_entry_that_does_not_parse_is_an_error_naming_it) {
    test::Recording rec("unparsable");
    auki::Log log = rec.pose_log();
    log.append(4, pose(1, 2, 3, 0, 0, 0, 1));
    const unsigned char truncated[] = {0xff}; // a tag whose varint never ends; append() takes any bytes
    log.append(5, test::view(truncated, sizeof truncated));
    log.flush();
    int parsed = 0;
    CHECK_THROWS(
        [&] {
            for (auto [ts, msg] : log.messages<SpatialTransform>()) parsed += ts == 4 && msg.translation().z() == 3;
        }(),
        AUKI_ERR_INVALID_ARGUMENT, "payload: the entry at 5 ns (1 bytes) does not parse as auki.pose.SpatialTransform");
    CHECK(parsed == 1);
}

TEST(test_a_tail_parses_the_messages_appended_after_it_opened) {
    test::Recording rec("tail");
    auki::Log log = rec.pose_log();
    auki::Tail tail = log.tail();
    log.append(10, pose(0, 0, 1.5, 0, 0, 0, 1));
    log.flush();
    SpatialTransform got;
    CHECK(tail.next_message(5000, got) == std::optional<int64_t>(10));
    CHECK(got.translation().z() == 1.5);
    CHECK(!tail.next_message(0, got));
}

// ---- byte for byte against auki_datatypes ---------------------------------------------------------------

static std::vector<double> doubles(std::istringstream &in, int n) {
    std::vector<double> out;
    for (int i = 0; i < n; ++i) {
        std::string word;
        in >> word;
        out.push_back(std::strtod(word.c_str(), nullptr)); // float.hex() text, "inf" and "nan" read back exactly
    }
    return out;
}

static std::string unhex(const std::string &h) {
    std::string out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2) out += char(std::stoi(h.substr(i, 2), nullptr, 16));
    return out;
}

TEST(test_messages_are_written_as_the_bytes_auki_datatypes_encodes) {
    std::ifstream file(g_python_encodings ? g_python_encodings : "");
    CHECK(file.good());
    test::Recording rec("python");
    auki::Log poses = rec.pose_log();
    auki::Log cameras = rec.camera_log("cam", 2, 2, "luma8", 2);
    std::vector<std::string> expected_poses, expected_cameras;
    std::string line;
    int64_t ts = 0;
    while (std::getline(file, line)) {
        std::istringstream in(line);
        std::string kind;
        in >> kind;
        if (kind == "pose") {
            const std::vector<double> v = doubles(in, 7);
            poses.append(ts++, pose(v[0], v[1], v[2], v[3], v[4], v[5], v[6]));
            expected_poses.emplace_back();
            in >> expected_poses.back();
        } else if (kind == "camera") {
            const std::vector<double> v = doubles(in, 9);
            std::string frame_hex;
            in >> frame_hex;
            CameraFrame frame = camera_frame(unhex(frame_hex));
            auto *k = frame.mutable_dynamic_intrinsics();
            k->set_fx(v[0]);
            k->set_fy(v[1]);
            k->set_cx(v[2]);
            k->set_cy(v[3]);
            for (int i = 4; i < 9; ++i) k->add_distortion_coefficients(v[i]);
            cameras.append(ts++, frame);
            expected_cameras.emplace_back();
            in >> expected_cameras.back();
        }
    }
    poses.flush();
    cameras.flush();
    CHECK(expected_poses.size() == 200 && expected_cameras.size() == 50);
    const std::vector<std::string> written_poses = test::payloads_hex(poses),
                                   written_cameras = test::payloads_hex(cameras);
    CHECK(written_poses.size() == expected_poses.size() && written_cameras.size() == expected_cameras.size());
    for (std::size_t i = 0; i < written_poses.size() && i < expected_poses.size(); ++i)
        if (written_poses[i] != expected_poses[i])
            fail_at(__FILE__, __LINE__, "pose %zu: C++ wrote %s, auki_datatypes %s", i, written_poses[i].c_str(),
                    expected_poses[i].c_str());
    for (std::size_t i = 0; i < written_cameras.size() && i < expected_cameras.size(); ++i)
        if (written_cameras[i] != expected_cameras[i])
            fail_at(__FILE__, __LINE__, "camera %zu: C++ wrote %s, auki_datatypes %s", i, written_cameras[i].c_str(),
                    expected_cameras[i].c_str());
}

int main(int argc, char **argv) {
    g_python_encodings = argc > 1 ? argv[1] : nullptr;
    fixtures_begin(__cplusplus >= 202002L ? "test_messages_cxx20" : "test_messages_cxx17");
    try {
        run_all_tests();
    } catch (const std::exception &e) { fail_at(__FILE__, __LINE__, "uncaught: %s", e.what()); }
    return fixtures_end();
}
