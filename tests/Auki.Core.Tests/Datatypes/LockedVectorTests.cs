using Auki.Datatypes.Audio;
using Auki.Datatypes.Camera;
using Auki.Datatypes.Detection;
using Auki.Datatypes.JointEncoders;
using Auki.Datatypes.Map;
using Auki.Datatypes.Pose;
using Auki.Datatypes.Scalar;
using Auki.Datatypes.TimeTransform;
using Auki.Hashing;
using Google.Protobuf;

namespace Auki.Core.Tests.Datatypes;

/// <summary>
/// Every locked wire vector of upstream auki-datatypes (reference §3.1 lib.rs, §3.2 stream_protocol.rs):
/// our encoding is the locked hex, the hex decodes to the same message, and the XXH3-128 hashes match.
/// python_tests/datatypes/test_datatypes_vectors.py pins the same table for Python.
/// </summary>
public class LockedVectorTests
{
    public static TheoryData<string, IMessage, string, string?> Vectors() => new()
    {
        { "camera_frame", new CameraFrame
            {
                DynamicIntrinsics = new DynamicIntrinsics
                {
                    Fx = 1234.5, Fy = 1234.5, Cx = 272.0, Cy = 244.0,
                    DistortionCoefficients = { 0.1, -0.2, 0.001, 0.002, 0.0 },
                },
                Frame = ByteString.CopyFrom(0, 1, 2, 3),
            },
            "0a4e0900000000004a93401100000000004a9340190000000000007140210000000000806e402a289a9999999999b93f9a9999999999c9bffca9f1d24d62503ffca9f1d24d62603f0000000000000000120400010203",
            "0496e1f71a03e00877fc68bf16190026" },
        { "point_cloud_data", new Auki.Datatypes.PointCloud.Data { Data_ = Bytes(24, i => i) },
            "0a18000102030405060708090a0b0c0d0e0f1011121314151617", "4ea525d849212b2e067e33bec455c7ea" },
        { "audio_data", new Auki.Datatypes.Audio.Data { Data_ = Bytes(16, i => i * 17 % 256) },
            "0a1000112233445566778899aabbccddeeff", "a5864ae7018f28a5c094a714af1db62e" },
        { "spatial_transform", new SpatialTransform
            {
                Translation = new Vec3 { X = 1.0, Y = 2.0, Z = 3.0 },
                Orientation = new Quat { X = 0, Y = 0, Z = 0, W = 1.0 },
            },
            "0a1b09000000000000f03f110000000000000040190000000000000840120921000000000000f03f",
            "29fa6349ab0b3ff1f06933489db74dfd" },
        { "time_transform_entry", new TimeTransformEntry { OffsetNs = 1_000_000, UncertaintyNs = 250 },
            "08c0843d10fa01", "b7e73628833419a7c299933d07cbe88c" },
        { "detection_frame", new DetectionFrame { Data = Bytes(12, i => i) },
            "0a0c000102030405060708090a0b", "94f8efe6be63d3dc5e045ab08d538a15" },
        { "joint_encoders_data", new Auki.Datatypes.JointEncoders.Data { AnglesRad = { 0f, 1f, 2f, 3f, 4f, 5f } },
            "0a18000000000000803f0000004000004040000080400000a040", "150a56272692540cf5d8e8e93dc74b7a" },
        { "map_update", new MapUpdate
            {
                VoxelChunks =
                {
                    new VoxelChunkUpdate
                    {
                        ChunkX = -2, ChunkY = 0, ChunkZ = 3,
                        Voxels = { new VoxelDelta { X = 1, Y = 2, Z = 3, OccupancyDelta = 0.75f,
                                                    Semantics = { new SemanticDelta { ClassId = 7, EvidenceDelta = -0.25f } } } },
                    },
                },
            },
            "0a1a080318062214080110021803250000403f2a07080715000080be", null },
        { "typed_message", new Auki.Datatypes.Message.Message
            { Type = "robot.pose", TimestampNs = 42, Payload = ByteString.CopyFrom(0x00, 0xff, 0x7f) },
            "0a0a726f626f742e706f7365102a1a0300ff7f", null },
        { "scalar_data", new Auki.Datatypes.Scalar.Data { Value = 73.5 }, "090000000000605240", null },
        { "time_transform_negative_offset", new TimeTransformEntry { OffsetNs = -42_000_000, UncertaintyNs = 100 },
            "0880c3fcebffffffffff011064", null },
        // Stream-side vectors (stream_protocol.rs): the same records as the log entries.
        { "stream_camera_frame_jpeg", new CameraFrame { Frame = ByteString.CopyFrom(Convert.FromHexString("ffd8ffe000104a464946")) },
            "120affd8ffe000104a464946", null },
        { "stream_point_cloud_data", new Auki.Datatypes.PointCloud.Data { Data_ = ByteString.CopyFrom(Convert.FromHexString("42434445" + "0001feff")) },
            "0a08424344450001feff", null },
        { "stream_joint_encoders_data", new Auki.Datatypes.JointEncoders.Data { AnglesRad = { 1f, 2f, 3f, 4f, 5f, 6f } },
            "0a180000803f0000004000004040000080400000a0400000c040", null },
        { "stream_audio_data", new Auki.Datatypes.Audio.Data { Data_ = ByteString.CopyFrom(Convert.FromHexString("0080ff7f4040c0bf")) },
            "0a080080ff7f4040c0bf", null },
    };

    static ByteString Bytes(int count, Func<int, int> value) =>
        ByteString.CopyFrom(Enumerable.Range(0, count).Select(i => (byte)value(i)).ToArray());

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Encodes_to_the_locked_bytes(string name, IMessage message, string hex, string? hash)
    {
        _ = name; _ = hash;
        Assert.Equal(hex, Convert.ToHexStringLower(message.ToByteArray()));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Decodes_the_locked_bytes(string name, IMessage message, string hex, string? hash)
    {
        _ = name; _ = hash;
        var decoded = message.Descriptor.Parser.ParseFrom(Convert.FromHexString(hex));
        Assert.Equal(message, decoded);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Hash_of_the_bytes_is_locked(string name, IMessage message, string hex, string? hash)
    {
        _ = name; _ = message;
        if (hash is not null)
            Assert.Equal(hash, ContentHash.Of(Convert.FromHexString(hex)));
    }

    [Fact]
    public void All_default_messages_encode_to_zero_bytes()
    {
        foreach (var type in AllMessages.Descriptors())
            Assert.Empty(type.Parser.ParseFrom([]).ToByteArray());
    }

    [Fact]
    public void A_present_but_empty_sub_message_is_tag_and_zero_length()
    {
        // prost Some(Default) and betterproto's serialized_on_wire: 0a 00.
        Assert.Equal("0a00", Convert.ToHexStringLower(new SpatialTransform { Translation = new Vec3() }.ToByteArray()));
    }

    [Fact]
    public void Negative_zero_is_omitted_like_zero()
    {
        // prost and betterproto compare with 0.0 too, so -0.0 is not on the wire anywhere.
        Assert.Empty(new Auki.Datatypes.Scalar.Data { Value = -0.0 }.ToByteArray());
    }

    [Fact]
    public void Unknown_fields_are_kept()
    {
        // A later upstream field (number 9 here) must survive a decode and re-encode.
        byte[] withUnknown = Convert.FromHexString("08c0843d10fa01" + "4801");
        var entry = TimeTransformEntry.Parser.ParseFrom(withUnknown);
        Assert.Equal(1_000_000, entry.OffsetNs);
        Assert.Equal(withUnknown, entry.ToByteArray());
    }
}
