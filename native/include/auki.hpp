// auki.hpp — header-only C++17 wrapper over the C ABI in auki.h.
//
// RAII owners for every libauki handle (move-only; the destructor calls the matching *_free),
// errors as auki::Error carrying the status code and libauki's message, std::string_view in and
// auki::bytes_view (std::span<const std::byte> when the standard library has it) for payloads.
// The first object created checks that the loaded library speaks this header's ABI major version.
//
// Typed payloads: Log::append(ts, msg), Log::messages<M>() and Reader/Tail::next_message(msg) take
// protobuf messages (classes protoc generated from proto/auki/*.proto, e.g. auki::pose::SpatialTransform)
// beside bytes. The header includes no protobuf header: a message is any class with protobuf's C++
// message interface (ByteSizeLong, SerializeToArray, ParseFromArray, GetTypeName), detected at compile
// time, so it compiles, and bytes work, without protobuf installed.
#ifndef AUKI_HPP
#define AUKI_HPP

#include "auki.h"

#include <atomic>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
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

// ---- protobuf messages, detected by their members (no protobuf header is included) ----------------

template <class M, class = void> struct is_encodable : std::false_type {};
template <class M>
struct is_encodable<M,
                    std::void_t<decltype(std::size_t(std::declval<const M &>().ByteSizeLong())),
                                decltype(bool(std::declval<const M &>().SerializeToArray(std::declval<void *>(), 0))),
                                decltype(std::string(std::declval<const M &>().GetTypeName()))>> : std::true_type {};

template <class M, class = void> struct is_parsable : std::false_type {};
template <class M>
struct is_parsable<M, std::void_t<decltype(bool(std::declval<M &>().ParseFromArray(std::declval<const void *>(), 0))),
                                  decltype(std::string(std::declval<const M &>().GetTypeName()))>> : std::true_type {};

// Full messages have a static descriptor; lite ones only the instance's GetTypeName().
template <class M, class = void> struct has_descriptor : std::false_type {};
template <class M>
struct has_descriptor<
    M, std::void_t<decltype(M::descriptor()->full_name().data()), decltype(M::descriptor()->full_name().size())>>
    : std::true_type {};

/// The protobuf full name of message type M ("auki.pose.SpatialTransform").
template <class M> std::string type_name() {
    if constexpr (has_descriptor<M>::value) {
        const auto &name = M::descriptor()->full_name();
        return std::string(name.data(), name.size());
    } else {
        return std::string(M().GetTypeName());
    }
}

/// One address per message type: what a Log remembers after M's name matched its payload type once.
template <class M> inline constexpr char type_key = 0;

/// The calling thread's encode buffer. It grows to the largest message encoded on this thread and is
/// reused, so appends allocate nothing after the first; per thread, not per handle, because one
/// handle may be used from several threads (auki.h) and the buffer must not be shared by two appends.
inline std::vector<std::byte> &encode_buffer() {
    thread_local std::vector<std::byte> buffer;
    return buffer;
}

/// Encode message into the calling thread's buffer; the view lives until this thread's next encode.
template <class M> bytes_view encode(const M &message) {
    const std::size_t size = message.ByteSizeLong();
    if (size > static_cast<std::size_t>(INT_MAX))
        throw Error(AUKI_ERR_OVERFLOW, "payload: " + type_name<M>() + " encodes to " + std::to_string(size) +
                                           " bytes; protobuf's SerializeToArray takes at most 2 GiB");
    std::vector<std::byte> &buffer = encode_buffer();
    if (buffer.size() < size) buffer.resize(size);
    if (!message.SerializeToArray(buffer.data(), static_cast<int>(size)))
        throw Error(AUKI_ERR_INVALID_ARGUMENT, "payload: " + type_name<M>() + " did not serialize (" +
                                                   std::to_string(size) + " bytes; a required field unset?)");
    return bytes_view(buffer.data(), size);
}

/// Parse one entry's payload into message, replacing what it held.
template <class M> void parse(int64_t timestamp_ns, bytes_view payload, M &message) {
    if (payload.size() > static_cast<std::size_t>(INT_MAX))
        throw Error(AUKI_ERR_OVERFLOW, "payload: the entry at " + std::to_string(timestamp_ns) + " ns holds " +
                                           std::to_string(payload.size()) +
                                           " bytes; protobuf's ParseFromArray takes at most 2 GiB");
    if (!message.ParseFromArray(payload.data(), static_cast<int>(payload.size())))
        throw Error(AUKI_ERR_INVALID_ARGUMENT, "payload: the entry at " + std::to_string(timestamp_ns) + " ns (" +
                                                   std::to_string(payload.size()) + " bytes) does not parse as " +
                                                   type_name<M>());
}

} // namespace detail

/// True for a type append(ts, msg) takes: protobuf's C++ message interface (ByteSizeLong, SerializeToArray, GetTypeName).
template <class M> inline constexpr bool is_message_v = detail::is_encodable<M>::value;

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
    /// The next entry parsed into message (a protobuf message; what it held is replaced): its timestamp, or
    /// nullopt at the end. Parses as M without checking M against the log's type (Log::messages does).
    template <class M> std::optional<int64_t> next_message(M &message) {
        static_assert(detail::is_parsable<M>::value, "auki::Reader::next_message: M must be a protobuf message "
                                                     "(ParseFromArray, GetTypeName)");
        std::optional<Entry> entry = next();
        if (!entry) return std::nullopt;
        detail::parse(entry->timestamp_ns, entry->payload, message);
        return entry->timestamp_ns;
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
    /// As next(timeout_ms), the entry parsed into message (see Reader::next_message): its timestamp, or nullopt.
    template <class M> std::optional<int64_t> next_message(int64_t timeout_ms, M &message) {
        static_assert(detail::is_parsable<M>::value, "auki::Tail::next_message: M must be a protobuf message "
                                                     "(ParseFromArray, GetTypeName)");
        std::optional<Entry> entry = next(timeout_ms);
        if (!entry) return std::nullopt;
        detail::parse(entry->timestamp_ns, entry->payload, message);
        return entry->timestamp_ns;
    }

  private:
    handle<auki_log_tail, auki_log_tail_free> h_;
};

/// One entry read as a message: for (auto [ts, msg] : log.messages<M>()); message lives until the next step.
template <class M> struct MessageEntry {
    int64_t timestamp_ns;
    const M &message;
};

/// Entries of one log decoded as message type M, in timestamp order: an input range over one reused M.
template <class M> class Messages {
  public:
    explicit Messages(Reader reader) : reader_(std::move(reader)) {}
    struct sentinel {};
    class iterator {
      public:
        using iterator_category = std::input_iterator_tag;
        using value_type = MessageEntry<M>;
        using reference = MessageEntry<M>;
        using pointer = void;
        using difference_type = std::ptrdiff_t;
        explicit iterator(Messages *owner) noexcept : owner_(owner) {}
        MessageEntry<M> operator*() const { return {*owner_->timestamp_ns_, owner_->message_}; }
        iterator &operator++() {
            owner_->advance();
            return *this;
        }
        bool operator==(sentinel) const noexcept { return !owner_->timestamp_ns_; }
        bool operator!=(sentinel s) const noexcept { return !(*this == s); }

      private:
        Messages *owner_;
    };
    /// Reads the first entry; a range is walked once.
    iterator begin() {
        advance();
        return iterator(this);
    }
    sentinel end() const noexcept { return {}; }
    /// The next entry parsed into message (see Reader::next_message), for loops that keep their own M.
    std::optional<int64_t> next(M &message) { return reader_.next_message(message); }

  private:
    void advance() { timestamp_ns_ = reader_.next_message(message_); }
    Reader reader_;
    M message_;
    std::optional<int64_t> timestamp_ns_;
};

/// A declared log (sensor, pose, time-transform, detection) with its data plane.
class Log {
  public:
    explicit Log(auki_log *l) noexcept : h_(l) {}
    Log(Log &&o) noexcept : h_(std::move(o.h_)), checked_type_(o.checked_type_.exchange(nullptr)) {}
    Log &operator=(Log &&o) noexcept {
        if (this != &o) {
            h_ = std::move(o.h_);
            checked_type_ = o.checked_type_.exchange(nullptr);
        }
        return *this;
    }
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
    /// Append a protobuf message of the log's payload type: its full name must be payload_type() (Error
    /// "payload: expected auki.camera.CameraFrame, got auki.pose.SpatialTransform" otherwise; checked once
    /// per message type and handle), encoded into this thread's reused buffer, then append_typed.
    // Enabled for messages (some have a data() accessor, which bytes_view's converting constructor would take)
    // and for whatever else is not bytes, so a wrong argument meets the static_assert's words.
    template <class M, std::enable_if_t<is_message_v<M> || !std::is_convertible_v<const M &, bytes_view>, int> = 0>
    void append(int64_t timestamp_ns, const M &message) {
        static_assert(is_message_v<M>, "auki::Log::append takes bytes_view or a protobuf message "
                                       "(ByteSizeLong, SerializeToArray, GetTypeName)");
        require_payload_type<M>();
        append_typed(timestamp_ns, detail::encode(message));
    }
    /// Entries in [start_ns, end_ns] decoded as M, which must be the log's payload type (checked as append does).
    template <class M> Messages<M> messages(std::optional<int64_t> start_ns = {}, std::optional<int64_t> end_ns = {}) {
        static_assert(detail::is_parsable<M>::value, "auki::Log::messages: M must be a protobuf message "
                                                     "(ParseFromArray, GetTypeName)");
        require_payload_type<M>();
        return Messages<M>(read(start_ns, end_ns));
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
    /// M's full name against payload_type(), the same words as Python's handles; remembered once it matched.
    template <class M> void require_payload_type() {
        if (checked_type_.load(std::memory_order_relaxed) == &detail::type_key<M>) return;
        const std::string expected = payload_type();
        const std::string got = detail::type_name<M>();
        if (expected.empty())
            throw Error(AUKI_ERR_INVALID_ARGUMENT,
                        "payload: log '" + resource_id() + "' has opaque payloads; pass bytes, not " + got);
        if (got != expected) throw Error(AUKI_ERR_INVALID_ARGUMENT, "payload: expected " + expected + ", got " + got);
        checked_type_.store(&detail::type_key<M>, std::memory_order_relaxed);
    }
    handle<auki_log, auki_log_free> h_;
    // The last message type whose name matched payload_type() (a log's type never changes).
    std::atomic<const char *> checked_type_{nullptr};
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
    /// Open a registration batch (ABI 2.3): registrations until commit_batch() are durable together.
    void begin_batch() { detail::check(auki_peer_batch_begin(h_.get())); }
    /// Close the innermost batch; the outermost makes everything it wrote durable (throws auki::Error on failure).
    void commit_batch() { detail::check(auki_peer_batch_commit(h_.get())); }
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
