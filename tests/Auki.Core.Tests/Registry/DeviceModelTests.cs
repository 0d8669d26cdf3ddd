using System.Text;
using Auki.Json;
using Auki.Registry;

namespace Auki.Core.Tests.Registry;

/// <summary>Device models, blobs and TIP: upstream's newest auki-registry, its locked fixture and its list rules.</summary>
public class DeviceModelTests
{
    // crates/auki-registry/tests/locked/device_model_urdf.json, without its trailing newline.
    private const string LockedDeviceModel =
        "{\"device_model_id\":\"unitree/g1\",\"meshes\":[{\"path\":\"meshes/body.stl\",\"sha256\":\"" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" + "\"}]," +
        "\"model_id\":\"unitree_g1\",\"peer_id\":\"galbot\",\"root_convention\":\"ros_body\",\"type\":\"urdf\",\"urdf_sha256\":\"" +
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\"}";

    private static RegistryEntry Model(string json) => RegistryEntryJson.Parse(RegistryKind.DeviceModel, JsonText.Parse(Encoding.UTF8.GetBytes(json)));

    private static RegistryEntry StoredModel(string root, string id = "k1", string convention = "ros_body")
    {
        string urdf = BlobStore.Put(root, Encoding.UTF8.GetBytes("<robot name='" + id + "'/>"));
        string mesh = BlobStore.Put(root, "mesh"u8);
        return Model($"{{\"peer_id\":\"galbot\",\"device_model_id\":\"{id}\",\"model_id\":\"k1\",\"type\":\"urdf\",\"urdf_sha256\":\"{urdf}\"," +
                     $"\"meshes\":[{{\"path\":\"meshes/body.stl\",\"sha256\":\"{mesh}\"}}],\"root_convention\":\"{convention}\"}}");
    }

    [Fact]
    public void The_locked_fixture_round_trips_byte_for_byte()
    {
        var entry = Model(LockedDeviceModel);
        Assert.Equal(LockedDeviceModel, Encoding.UTF8.GetString(entry.CanonicalBytes()));
        Assert.Equal(Hashing.ContentHash.Of(Encoding.UTF8.GetBytes(LockedDeviceModel)), entry.Hash());
    }

    [Fact]
    public void Blobs_live_under_the_app_root_beside_the_registries()
    {
        using var dir = new TempDir();
        string sha = BlobStore.Put(dir.Path, "mesh bytes"u8);
        Assert.Equal("mesh bytes"u8.ToArray(), File.ReadAllBytes(dir["blobs/" + sha]));
        Assert.False(Directory.Exists(dir["registries"]));
    }

    [Fact]
    public void A_write_points_the_tip_at_the_entry_and_list_reports_it()
    {
        using var dir = new TempDir();
        var older = StoredModel(dir.Path);
        var newer = StoredModel(dir.Path, convention: "ros_optical");
        RegistryStore.Write(dir.Path, older);
        RegistryStore.Write(dir.Path, newer);
        Assert.Equal(newer.Hash(), File.ReadAllText(dir["registries/device_models/galbot/k1/TIP"]));
        var rows = DeviceModelList.List(dir.Path, "galbot");
        Assert.Equal($"[{{\"hash\":\"{newer.Hash()}\",\"id\":\"k1\"}}]", Encoding.UTF8.GetString(CanonicalJson.Serialize(rows)));
    }

    [Fact]
    public void Verify_accepts_a_device_models_tip_and_the_blob_directory()
    {
        using var dir = new TempDir();
        RegistryStore.Write(dir.Path, StoredModel(dir.Path));
        Assert.True(File.Exists(dir["registries/device_models/galbot/k1/TIP"]));
        Assert.Empty(Auki.Verify.StoreVerifier.Verify(dir.Path).Findings);
    }

    [Fact]
    public void A_model_whose_blob_is_not_stored_is_refused_without_a_tip()
    {
        using var dir = new TempDir();
        var entry = Model(LockedDeviceModel);
        var e = Assert.Throws<AukiException>(() => RegistryStore.Write(dir.Path, entry));
        Assert.Equal("invalid device model: referenced blob " + new string('a', 64) + " not found", e.Message);
        Assert.False(Directory.Exists(dir["registries"]));
    }

    [Theory]
    [InlineData("meshes/../x.stl", "invalid device model: mesh path must not contain '..': \"meshes/../x.stl\"")]
    [InlineData("/abs.stl", "invalid device model: mesh path must be relative, got \"/abs.stl\"")]
    [InlineData("a<b", "invalid device model: mesh path contains XML-unsafe characters: \"a<b\"")]
    [InlineData("", "invalid device model: mesh path must not be empty")]
    public void Mesh_paths_follow_upstreams_contract(string path, string message)
    {
        var e = Assert.Throws<AukiException>(() => MeshPath.Validate(path));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("package://K1_URDF_Serial/meshes/body.stl", "meshes/body.stl")]
    [InlineData("  /meshes/body.stl ", "meshes/body.stl")]
    [InlineData("package://pkg", "pkg")]
    [InlineData("package://pkg//meshes/a.stl", "meshes/a.stl")]
    public void Mesh_filenames_normalize_as_upstream(string filename, string expected) =>
        Assert.Equal(expected, MeshPath.Normalize(filename));

    [Fact]
    public void A_urdf_package_resolves_meshes_under_its_package_root_only()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["pkg/urdf"]);
        Directory.CreateDirectory(dir["pkg/meshes"]);
        File.WriteAllText(dir["pkg/meshes/body.stl"], "mesh");
        File.WriteAllText(dir["pkg/urdf/robot.urdf"],
            "<robot name=\"Stock\"><!-- <mesh filename=\"gone.stl\"/> --><mesh filename = \"package://pkg/meshes/body.stl\"/></robot>");
        var e = Assert.Throws<AukiException>(() => UrdfPackage.Put(dir["app"], dir["pkg/urdf/robot.urdf"], null));
        Assert.StartsWith("invalid device model: URDF references mesh \"package://pkg/meshes/body.stl\" but none resolved beside ", e.Message);
        Assert.False(Directory.Exists(dir["app"]));

        var package = UrdfPackage.Put(dir["app"], dir["pkg/urdf/robot.urdf"], "ros_body", dir["pkg"]);
        Assert.Equal("stock", (string)package["device_model_id"]!);
        string urdf = Encoding.UTF8.GetString(BlobStore.Get(dir["app"], (string)package["body"]!["urdf_sha256"]!)!);
        Assert.Equal("<robot name=\"Stock\"><!-- <mesh filename=\"gone.stl\"/> --><mesh filename = \"meshes/body.stl\"/></robot>", urdf);
    }

    [Fact]
    public void A_urdf_that_is_not_utf8_reports_rusts_error()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["robot.urdf"], [(byte)'<', 0xE2, 0x82]);
        var e = Assert.Throws<AukiException>(() => UrdfPackage.Put(dir["app"], dir["robot.urdf"], null));
        Assert.Equal("invalid device model: URDF is not UTF-8: incomplete utf-8 byte sequence from index 1", e.Message);
    }
}
