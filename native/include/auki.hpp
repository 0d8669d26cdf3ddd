// auki.hpp — header-only C++17 wrapper over the C ABI in auki.h.
//
// RAII owners for every libauki handle (move-only; the destructor calls the matching *_free),
// errors as auki::Error carrying the status code and libauki's message, std::string_view in and
// auki::bytes_view (std::span<const std::byte> when the standard library has it) for payloads.
// The first object created checks that the loaded library speaks this header's ABI major version.
#ifndef AUKI_HPP
#define AUKI_HPP

#include "auki.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if defined(__has_include)
#if __has_include(<span>) && __cplusplus >= 202002L
#include <span>
#define AUKI_HPP_HAS_STD_SPAN 1
#endif
#endif

namespace auki {

#ifdef AUKI_HPP_HAS_STD_SPAN
using bytes_view = std::span<const std::byte>;
#else
/// A minimal read-only byte span for C++17 (std::span arrives in C++20).
class bytes_view {
  public:
    constexpr bytes_view() noexcept = default;
    constexpr bytes_view(const std::byte *data, std::size_t size) noexcept : data_(data), size_(size) {}
    bytes_view(const void *data, std::size_t size) noexcept
        : data_(static_cast<const std::byte *>(data)), size_(size) {}
    template <class Container, class = decltype(std::declval<const Container &>().data())>
    bytes_view(const Container &c) noexcept
        : data_(reinterpret_cast<const std::byte *>(c.data())), size_(c.size() * sizeof(*c.data())) {}
    constexpr const std::byte *data() const noexcept { return data_; }
    constexpr std::size_t size() const noexcept { return size_; }
    constexpr bool empty() const noexcept { return size_ == 0; }
    constexpr const std::byte *begin() const noexcept { return data_; }
    constexpr const std::byte *end() const noexcept { return data_ + size_; }

  private:
    const std::byte *data_ = nullptr;
    std::size_t size_ = 0;
};
#endif

/// A libauki failure: the AUKI_ERR_* code and the thread's last-error message.
class Error : public std::runtime_error {
  public:
    Error(int code, const std::string &message) : std::runtime_error(message), code_(code) {}
    int code() const noexcept { return code_; }

  private:
    int code_;
};

namespace detail {

inline void check(int status) {
    if (status != AUKI_OK) throw Error(status, auki_last_error_message());
}

/// Take ownership of a string libauki returned and free it.
inline std::string take(char *s) {
    std::string out = s ? std::string(s) : std::string();
    auki_string_free(s);
    return out;
}

/// The C ABI takes NUL-terminated strings; string_view may not be terminated.
class cstr {
  public:
    explicit cstr(std::string_view v) : s_(v) {}
    operator const char *() const noexcept { return s_.c_str(); }

  private:
    std::string s_;
};

inline const uint8_t *bytes(bytes_view v) noexcept {
    return reinterpret_cast<const uint8_t *>(v.data());
}

} // namespace detail

/// Refuse a library built for another ABI major version (checked once, on first use).
inline void ensure_compatible() {
    static const bool ok = [] {
        const uint32_t loaded = auki_abi_version();
        if ((loaded >> 16) != AUKI_ABI_VERSION_MAJOR)
            throw Error(AUKI_ERR_INTERNAL,
                        "libauki ABI " + std::to_string(loaded >> 16) + "." + std::to_string(loaded & 0xFFFF) +
                            " is incompatible with auki.hpp (ABI " + std::to_string(AUKI_ABI_VERSION_MAJOR) + "." +
                            std::to_string(AUKI_ABI_VERSION_MINOR) + ")");
        return true;
    }();
    (void) ok;
}

/// Move-only owner of one libauki handle.
template <class T, void (*Free)(T *)> class handle {
  public:
    handle() noexcept = default;
    explicit handle(T *p) noexcept : p_(p) {}
    handle(handle &&o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    handle &operator=(handle &&o) noexcept {
        if (this != &o) reset(std::exchange(o.p_, nullptr));
        return *this;
    }
    handle(const handle &) = delete;
    handle &operator=(const handle &) = delete;
    ~handle() { reset(); }
    T *get() const noexcept { return p_; }
    explicit operator bool() const noexcept { return p_ != nullptr; }
    void reset(T *p = nullptr) noexcept {
        if (p_) Free(p_);
        p_ = p;
    }

  private:
    T *p_ = nullptr;
};

/// One entry handed out by a reader or tail; payload is a view valid until the next call on it.
struct Entry {
    int64_t timestamp_ns;
    bytes_view payload;
};

/// Entries of one log in timestamp order.
class Reader {
  public:
    explicit Reader(auki_log_reader *r) noexcept : h_(r) {}
    /// Open the log at root within [start_ns, end_ns] (nullopt = unbounded).
    static Reader open(std::string_view root, std::optional<int64_t> start_ns = {},
                       std::optional<int64_t> end_ns = {}) {
        ensure_compatible();
        auki_log_reader *r = nullptr;
        detail::check(
            auki_log_reader_open(&r, detail::cstr(root), start_ns ? &*start_ns : nullptr, end_ns ? &*end_ns : nullptr));
        return Reader(r);
    }
    /// The next entry, or nullopt at the end. The payload view lives until the next call.
    std::optional<Entry> next() {
        int has = 0;
        int64_t ts = 0;
        const uint8_t *data = nullptr;
        size_t len = 0;
        detail::check(auki_log_reader_next(h_.get(), &has, &ts, &data, &len));
        if (!has) return std::nullopt;
        return Entry{ts, bytes_view(reinterpret_cast<const std::byte *>(data), len)};
    }

  private:
    handle<auki_log_reader, auki_log_reader_free> h_;
};

/// Follows entries appended after it was opened.
class Tail {
  public:
    explicit Tail(auki_log_tail *t) noexcept : h_(t) {}
    static Tail open(std::string_view root, uint32_t poll_interval_ms = 0) {
        ensure_compatible();
        auki_log_tail *t = nullptr;
        detail::check(auki_log_tail_open(&t, detail::cstr(root), poll_interval_ms));
        return Tail(t);
    }
    /// Wait up to timeout_ms (0 = poll once, negative = forever) for the next entry.
    std::optional<Entry> next(int64_t timeout_ms) {
        int has = 0;
        int64_t ts = 0;
        const uint8_t *data = nullptr;
        size_t len = 0;
        detail::check(auki_log_tail_next(h_.get(), timeout_ms, &has, &ts, &data, &len));
        if (!has) return std::nullopt;
        return Entry{ts, bytes_view(reinterpret_cast<const std::byte *>(data), len)};
    }

  private:
    handle<auki_log_tail, auki_log_tail_free> h_;
};

/// A declared log (sensor, pose, time-transform, detection) with its data plane.
class Log {
  public:
    explicit Log(auki_log *l) noexcept : h_(l) {}
    std::string resource_id() const { return str(auki_log_resource_id); }
    std::string kind() const { return str(auki_log_kind); }
    std::string root() const { return str(auki_log_root); }
    std::string log_ref_json() const { return str(auki_log_ref); }
    std::string manifest_json() const { return str(auki_log_manifest); }
    /// Writer options as JSON ({"integrity":true,...}); before the first append only.
    void configure(std::string_view options_json) {
        detail::check(auki_log_configure(h_.get(), detail::cstr(options_json)));
    }
    /// Append one entry; the payload is copied before this returns.
    void append(int64_t timestamp_ns, bytes_view payload) {
        detail::check(auki_log_append(h_.get(), timestamp_ns, detail::bytes(payload), payload.size()));
    }
    /// The protobuf full name of the log's entry message ("auki.camera.CameraFrame", ...); empty when payloads are opaque.
    std::string payload_type() const { return str(auki_log_payload_type); }
    /// A camera log's frame layout as JSON ({"pixel_format","width","height","row_stride_bytes",...}); empty for other logs.
    std::string frame_layout_json() const { return str(auki_log_frame_layout); }
    /// Append an encoded message of the log's type: checked first (it decodes, a raw frame has the right size), nothing written otherwise.
    void append_typed(int64_t timestamp_ns, bytes_view message) {
        detail::check(auki_log_append_typed(h_.get(), timestamp_ns, detail::bytes(message), message.size()));
    }
    void flush() { detail::check(auki_log_flush(h_.get())); }
    /// Flush, fsync and release the writer lock; a fixed-head log becomes sealed.
    void close() { detail::check(auki_log_close(h_.get())); }
    Reader read(std::optional<int64_t> start_ns = {}, std::optional<int64_t> end_ns = {}) {
        auki_log_reader *r = nullptr;
        detail::check(auki_log_open_reader(h_.get(), start_ns ? &*start_ns : nullptr, end_ns ? &*end_ns : nullptr, &r));
        return Reader(r);
    }
    Tail tail(uint32_t poll_interval_ms = 0) {
        auki_log_tail *t = nullptr;
        detail::check(auki_log_open_tail(h_.get(), poll_interval_ms, &t));
        return Tail(t);
    }
    auki_log *get() const noexcept { return h_.get(); }

  private:
    std::string str(int (*getter)(const auki_log *, char **)) const {
        char *s = nullptr;
        detail::check(getter(h_.get(), &s));
        return detail::take(s);
    }
    handle<auki_log, auki_log_free> h_;
};

/// One payload of message type (a full name, as Log::payload_type gives) as canonical proto3 JSON; throws when it does not decode.
inline std::string payload_to_json(std::string_view type, bytes_view payload) {
    char *s = nullptr;
    detail::check(auki_payload_to_json(detail::cstr(type), detail::bytes(payload), payload.size(), &s));
    return detail::take(s);
}

/// One boot session: its clocks and the logs it declares.
class Session {
  public:
    explicit Session(auki_session *s) noexcept : h_(s) {}
    /// The Quickstart's standalone (era-A) session: its own peer, era-A paths.
    static Session standalone(std::string_view peer_id, std::string_view app_id) {
        ensure_compatible();
        auki_session *s = nullptr;
        detail::check(auki_session_new_standalone(&s, detail::cstr(peer_id), detail::cstr(app_id)));
        return Session(s);
    }
    std::string id() const {
        char *s = nullptr;
        detail::check(auki_session_id(h_.get(), &s));
        return detail::take(s);
    }
    std::string info_json() const {
        char *s = nullptr;
        detail::check(auki_session_info(h_.get(), &s));
        return detail::take(s);
    }
    /// Register a clock from its JSON body; returns the content hash.
    std::string register_clock(std::string_view clock_id, std::string_view body_json) {
        char hash[AUKI_HASH_BUFSIZE];
        detail::check(auki_session_register_clock(h_.get(), detail::cstr(clock_id), detail::cstr(body_json), hash));
        return hash;
    }
    /// Declare a log of kind "sensor" | "pose" | "time_transform" | "detection" from a JSON spec.
    Log register_log(std::string_view kind, std::string_view spec_json) {
        auki_log *l = nullptr;
        detail::check(auki_session_register_log(h_.get(), detail::cstr(kind), detail::cstr(spec_json), &l));
        return Log(l);
    }
    std::string catalog_json() {
        char *s = nullptr;
        detail::check(auki_session_catalog(h_.get(), &s));
        return detail::take(s);
    }
    auki_session *get() const noexcept { return h_.get(); }

  private:
    handle<auki_session, auki_session_free> h_;
};

/// A device identity and the registries it owns.
class Peer {
  public:
    Peer(std::string_view peer_id, std::string_view app_id) {
        ensure_compatible();
        auki_peer *p = nullptr;
        detail::check(auki_peer_new(&p, detail::cstr(peer_id), detail::cstr(app_id)));
        h_.reset(p);
    }
    /// Set the storage root; returns *this for chaining, like upstream's with_storage_root.
    Peer &with_storage_root(std::string_view root) {
        detail::check(auki_peer_set_storage_root(h_.get(), detail::cstr(root)));
        return *this;
    }
    std::string peer_id() const { return str(auki_peer_id); }
    std::string app_id() const { return str(auki_peer_app_id); }
    std::string storage_root() const { return str(auki_peer_storage_root); }
    /// Register a frame: a preset name ("ros_optical", …) or a custom JSON convention; returns the hash.
    std::string register_frame(std::string_view frame_id, std::string_view frame_def) {
        char hash[AUKI_HASH_BUFSIZE];
        detail::check(auki_peer_register_frame(h_.get(), detail::cstr(frame_id), detail::cstr(frame_def), hash));
        return hash;
    }
    std::string register_sensor(std::string_view sensor_id, std::string_view body_json) {
        char hash[AUKI_HASH_BUFSIZE];
        detail::check(auki_peer_register_sensor(h_.get(), detail::cstr(sensor_id), detail::cstr(body_json), hash));
        return hash;
    }
    std::string register_detector(std::string_view detector_id, std::string_view body_json,
                                  std::string_view output_types_json,
                                  std::optional<std::string_view> input_types_json = {}) {
        char hash[AUKI_HASH_BUFSIZE];
        std::optional<detail::cstr> inputs;
        if (input_types_json) inputs.emplace(*input_types_json);
        detail::check(auki_peer_register_detector(h_.get(), detail::cstr(detector_id), detail::cstr(body_json),
                                                  detail::cstr(output_types_json),
                                                  inputs ? static_cast<const char *>(*inputs) : nullptr, hash));
        return hash;
    }
    /// Start a session: a ULID and its monotonic and UTC clocks.
    Session start_session() {
        auki_session *s = nullptr;
        detail::check(auki_peer_start_session(h_.get(), &s));
        return Session(s);
    }
    auki_peer *get() const noexcept { return h_.get(); }

  private:
    std::string str(int (*getter)(const auki_peer *, char **)) const {
        char *s = nullptr;
        detail::check(getter(h_.get(), &s));
        return detail::take(s);
    }
    handle<auki_peer, auki_peer_free> h_;
};

} // namespace auki

#endif // AUKI_HPP
