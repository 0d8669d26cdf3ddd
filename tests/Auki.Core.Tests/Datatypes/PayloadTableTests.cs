using System.Runtime.InteropServices;
using System.Text;
using Auki.Datatypes;
using Auki.Datatypes.Camera;
using Auki.Datatypes.Map;
using Auki.Datatypes.Pose;
using Auki.Datatypes.TimeTransform;
using Google.Protobuf;

namespace Auki.Core.Tests.Datatypes;

/// <summary>Payloads decoded into columns (what get_data and get_data_as_df are built from).</summary>
public sealed unsafe class PayloadTableTests
{
    private static SpatialTransform Pose(double x, double w) => new() { Translation = new Vec3 { X = x, Y = 2, Z = 3 }, Orientation = new Quat { W = w } };

    private static double[] Doubles(PayloadTable t, int column)
    {
        t.ColumnData(column, out byte* data, out long length, out _);
        return MemoryMarshal.Cast<byte, double>(new ReadOnlySpan<byte>(data, (int)length)).ToArray();
    }

    private static byte[][] Pieces(PayloadTable t, int column)
    {
        t.ColumnData(column, out byte* data, out _, out ulong* offsets);
        return Enumerable.Range(0, t.Rows).Select(i => new ReadOnlySpan<byte>(data + offsets[i], (int)(offsets[i + 1] - offsets[i])).ToArray()).ToArray();
    }

    [Fact]
    public void A_pose_flattens_into_dotted_proto_field_names_in_field_order()
    {
        var schema = PayloadSchema.For(SpatialTransform.Descriptor);
        Assert.Equal(["translation.x", "translation.y", "translation.z", "orientation.x", "orientation.y", "orientation.z", "orientation.w"],
            schema.Columns.Select(c => c.Path));
        Assert.All(schema.Columns, c => Assert.Equal(ColumnKind.Float64, c.Kind));
    }

    [Fact]
    public void A_camera_frame_has_a_list_column_and_a_bytes_column_and_a_map_update_json_columns()
    {
        var camera = PayloadSchema.For(CameraFrame.Descriptor).Columns;
        Assert.Equal(new PayloadColumn("dynamic_intrinsics.distortion_coefficients", ColumnKind.List, ColumnKind.Float64), camera[4]);
        Assert.Equal(new PayloadColumn("frame", ColumnKind.Bytes), camera[5]);
        var map = PayloadSchema.For(MapUpdate.Descriptor).Columns;
        Assert.Equal(["voxel_chunks", "checkpoint.voxel_chunks"], map.Select(c => c.Path));
        Assert.All(map, c => Assert.Equal(ColumnKind.Json, c.Kind));
        Assert.Equal([new PayloadColumn("payload", ColumnKind.Bytes)], PayloadSchema.For(null).Columns);
    }

    [Fact]
    public void Values_land_in_their_columns_and_absent_fields_read_as_defaults()
    {
        var table = new PayloadTable(PayloadSchema.For(SpatialTransform.Descriptor));
        table.Add(10, Pose(1.5, 1).ToByteArray());
        table.Add(20, new SpatialTransform().ToByteArray()); // zero bytes on the wire
        table.Add(30, Pose(-4, 0.5).ToByteArray());
        Assert.Equal(3, table.Rows);
        Assert.Equal([10L, 20L, 30L], new ReadOnlySpan<long>(table.Timestamps, 3).ToArray());
        Assert.Equal([1.5, 0, -4], Doubles(table, 0));
        Assert.Equal([2.0, 0, 2], Doubles(table, 1));
        Assert.Equal([1.0, 0, 0.5], Doubles(table, 6));
    }

    [Fact]
    public void A_singular_field_seen_twice_keeps_the_last_value_and_repeated_fields_append()
    {
        var a = new CameraFrame { Frame = ByteString.CopyFromUtf8("first"), DynamicIntrinsics = new DynamicIntrinsics { Fx = 1, DistortionCoefficients = { 0.5 } } };
        var b = new CameraFrame { Frame = ByteString.CopyFromUtf8("second"), DynamicIntrinsics = new DynamicIntrinsics { Fy = 2, DistortionCoefficients = { 0.25, 0.125 } } };
        byte[] both = [.. a.ToByteArray(), .. b.ToByteArray()]; // protobuf: concatenation = merge
        var table = new PayloadTable(PayloadSchema.For(CameraFrame.Descriptor));
        table.Add(1, both);
        Assert.Equal([1.0], Doubles(table, 0));
        Assert.Equal([2.0], Doubles(table, 1));
        Assert.Equal([0.5, 0.25, 0.125], Doubles(table, 4)); // the list column, packed elements
        Assert.Equal("second", Encoding.UTF8.GetString(Pieces(table, 5)[0]));
    }

    [Fact]
    public void Unpacked_repeated_doubles_are_read_like_packed_ones()
    {
        // DynamicIntrinsics field 5 as two unpacked fixed64 values: key 0x29 each.
        byte[] inner = [0x29, .. BitConverter.GetBytes(1.5), 0x29, .. BitConverter.GetBytes(-2.0)];
        byte[] payload = [0x0A, (byte)inner.Length, .. inner];
        var table = new PayloadTable(PayloadSchema.For(CameraFrame.Descriptor));
        table.Add(1, payload);
        Assert.Equal([1.5, -2.0], Doubles(table, 4));
    }

    [Fact]
    public void Integer_kinds_keep_their_sign_and_width()
    {
        var table = new PayloadTable(PayloadSchema.For(TimeTransformEntry.Descriptor));
        table.Add(1, new TimeTransformEntry { OffsetNs = -(1L << 40), UncertaintyNs = 4_000_000_000 }.ToByteArray());
        table.ColumnData(0, out byte* offset, out long l0, out _);
        table.ColumnData(1, out byte* uncertainty, out long l1, out _);
        Assert.Equal((8, 4), (l0, l1));
        Assert.Equal(-(1L << 40), *(long*)offset);
        Assert.Equal(4_000_000_000u, *(uint*)uncertainty);
    }

    [Fact]
    public void A_payload_that_does_not_decode_names_its_timestamp_and_adds_no_row()
    {
        var table = new PayloadTable(PayloadSchema.For(CameraFrame.Descriptor));
        table.Add(1, new CameraFrame { Frame = ByteString.CopyFromUtf8("ok") }.ToByteArray());
        var e = Assert.Throws<AukiException>(() => table.Add(7, [0x12, 0x05, 0x61])); // frame announces 5 bytes, has 1
        Assert.Equal(AukiErrorCode.InvalidArgument, e.Code);
        Assert.Contains("payload at timestamp_ns 7 does not decode as auki.camera.CameraFrame", e.Message);
        Assert.Equal(1, table.Rows);
        table.Add(2, new CameraFrame { Frame = ByteString.CopyFromUtf8("next") }.ToByteArray());
        Assert.Equal(["ok", "next"], Pieces(table, 5).Select(p => Encoding.UTF8.GetString(p)));
        Assert.Contains("wire type 0, expected 1", Assert.Throws<AukiException>(() => new PayloadTable(PayloadSchema.For(SpatialTransform.Descriptor)).Add(1, [0x0A, 0x02, 0x08, 0x01])).Message);
    }

    [Fact]
    public void Message_path_filters_select_a_field_or_every_child_of_a_parent()
    {
        var all = PayloadSchema.For(SpatialTransform.Descriptor);
        Assert.Equal(["translation.x", "translation.y", "translation.z"], all.Select(["translation"], null).Columns.Select(c => c.Path));
        Assert.Equal(["translation.x", "orientation.w"], all.Select(["orientation.w", "translation.x"], null).Columns.Select(c => c.Path));
        Assert.Equal(["orientation.x", "orientation.y"], all.Select(["orientation"], ["orientation.z", "orientation.w"]).Columns.Select(c => c.Path));
        Assert.Equal(AukiErrorCode.InvalidArgument, Assert.Throws<AukiException>(() => all.Select(["trans"], null)).Code); // not a segment prefix
        var table = new PayloadTable(all.Select(["orientation.w"], null));
        table.Add(1, Pose(9, 0.25).ToByteArray());
        Assert.Equal([0.25], Doubles(table, 0));
    }

    [Fact]
    public void A_repeated_message_is_a_json_array_of_every_field_by_proto_name()
    {
        var update = new MapUpdate { VoxelChunks = { new VoxelChunkUpdate { ChunkX = -2, Voxels = { new VoxelDelta { X = 1, OccupancyDelta = 0.5f } } } } };
        var table = new PayloadTable(PayloadSchema.For(MapUpdate.Descriptor));
        table.Add(1, update.ToByteArray());
        table.Add(2, new MapUpdate().ToByteArray());
        var rows = Pieces(table, 0).Select(p => Encoding.UTF8.GetString(p)).ToArray();
        Assert.Equal("""[{"chunk_x":-2,"chunk_y":0,"chunk_z":0,"voxels":[{"occupancy_delta":0.5,"semantics":[],"x":1,"y":0,"z":0}]}]""", rows[0]);
        Assert.Equal("[]", rows[1]);
    }

    [Fact]
    public void A_raw_table_keeps_payloads_as_they_are_and_clear_starts_a_new_batch()
    {
        var table = new PayloadTable(PayloadSchema.For(null));
        table.Add(1, "abc"u8);
        table.Add(2, []);
        Assert.Equal(3, table.VariableBytes);
        Assert.Equal(["abc", ""], Pieces(table, 0).Select(p => Encoding.UTF8.GetString(p)));
        table.Clear();
        table.Add(3, "z"u8);
        Assert.Equal((1, 1L), (table.Rows, table.VariableBytes));
        Assert.Equal(["z"], Pieces(table, 0).Select(p => Encoding.UTF8.GetString(p)));
    }
}
