// test_without_protobuf.cpp — auki.hpp builds with no protobuf installed (this program includes and links
// none) and takes any class with protobuf's message members as a message: here a lite-style one that
// names its type only through GetTypeName(), as protobuf-lite classes do.
#include "check.hpp"

#include <cstring>
#include <string>
#include <vector>

// Upstream's locked SpatialTransform{(1,2,3),(0,0,0,1)} (../shared/reference/auki-datatypes.md §3.1).
static const unsigned char LOCKED_POSE[] = {0x0a, 0x1b, 0x09, 0,    0, 0,    0,    0, 0, 0xf0, 0x3f, 0x11, 0, 0,
                                            0,    0,    0,    0,    0, 0x40, 0x19, 0, 0, 0,    0,    0,    0, 0x08,
                                            0x40, 0x12, 0x09, 0x21, 0, 0,    0,    0, 0, 0,    0xf0, 0x3f};

/// A message that carries its encoding: what a hand-written codec with protobuf's member names looks like.
struct LitePose {
    std::string encoded;
    std::size_t ByteSizeLong() const { return encoded.size(); }
    bool SerializeToArray(void *data, int size) const {
        if (size < static_cast<int>(encoded.size())) return false;
        std::memcpy(data, encoded.data(), encoded.size());
        return true;
    }
    bool ParseFromArray(const void *data, int size) {
        encoded.assign(static_cast<const char *>(data), static_cast<std::size_t>(size));
        return true;
    }
    std::string GetTypeName() const { return "auki.pose.SpatialTransform"; }
    // A data() accessor, as generated messages with a `data` field have: still a message, not bytes.
    const std::string &data() const { return encoded; }
};

struct OtherMessage : LitePose {
    std::string GetTypeName() const { return "auki.scalar.Data"; }
};

static_assert(auki::is_message_v<LitePose>);
static_assert(!auki::is_message_v<std::vector<std::byte>> && !auki::is_message_v<std::string>);

TEST(test_a_duck_typed_message_is_encoded_checked_and_read_back) {
    test::Recording rec("lite");
    auki::Log log = rec.pose_log();
    log.append(1, LitePose{std::string(reinterpret_cast<const char *>(LOCKED_POSE), sizeof LOCKED_POSE)});
    CHECK_THROWS(log.append(2, OtherMessage{}), AUKI_ERR_INVALID_ARGUMENT,
                 "payload: expected auki.pose.SpatialTransform, got auki.scalar.Data");
    // The core checks what the message encoded to: these bytes do not decode as a SpatialTransform.
    CHECK_THROWS(log.append(3, LitePose{"\xff"}), AUKI_ERR_INVALID_ARGUMENT, "");
    log.flush();
    int seen = 0;
    for (auto [ts, msg] : log.messages<LitePose>()) {
        CHECK(ts == 1);
        CHECK(msg.encoded == std::string(reinterpret_cast<const char *>(LOCKED_POSE), sizeof LOCKED_POSE));
        ++seen;
    }
    CHECK(seen == 1);
}

TEST(test_containers_of_bytes_still_take_the_bytes_overload) {
    test::Recording rec("bytes");
    auki::Log log = rec.rf_log("uwb"); // opaque: a message would be refused, bytes are not
    const std::vector<std::byte> raw{std::byte{7}};
    CHECK_NOTHROW(log.append(0, raw));
    CHECK_NOTHROW(log.append(1, auki::bytes_view(raw.data(), raw.size())));
    log.flush();
    CHECK(test::payloads_hex(log) == (std::vector<std::string>{"07", "07"}));
}

TEST(test_a_registration_batch_commits_what_it_registered) {
    test::Recording rec("batch");
    rec.peer.begin_batch();
    auki::Log log = rec.pose_log(); // two frames and a log manifest, durable at the commit
    log.append(1, LitePose{std::string(reinterpret_cast<const char *>(LOCKED_POSE), sizeof LOCKED_POSE)});
    rec.peer.commit_batch();
    CHECK_THROWS(rec.peer.commit_batch(), AUKI_ERR_INVALID_ARGUMENT, "no registration batch is open");
    log.flush();
    CHECK(log.payload_type() == "auki.pose.SpatialTransform");
}

int main() {
    fixtures_begin("test_without_protobuf");
    try {
        run_all_tests();
    } catch (const std::exception &e) { fail_at(__FILE__, __LINE__, "uncaught: %s", e.what()); }
    return fixtures_end();
}
