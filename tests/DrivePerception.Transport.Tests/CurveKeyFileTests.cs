namespace DrivePerception.Transport.Tests;

/// <summary>Key pairs in ZeroMQ's certificate format: written, read back, and refused with the fix when unusable.</summary>
public sealed class CurveKeyFileTests : IDisposable
{
    private readonly TempFolder _temp = new("keys");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void WriteNewPair_ThenLoad_GivesTheSameKeysAndAnOwnerOnlySecretFile()
    {
        var (publicPath, secretPath) = CurveKeyFile.WriteNewPair(_temp.Path, "node");

        var certificate = CurveKeyFile.LoadSecret(secretPath);
        Assert.Equal(certificate.PublicKey, CurveKeyFile.LoadPublic(publicPath));
        Assert.Equal(certificate.PublicKey, CurveKeyFile.LoadPublic(secretPath));
        Assert.DoesNotContain("secret-key", File.ReadAllText(publicPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secretPath));
    }

    [Fact]
    public void WriteNewPair_PairExists_RefusesToReplaceIt()
    {
        CurveKeyFile.WriteNewPair(_temp.Path, "node");

        var e = Assert.Throws<CurveKeyException>(() => CurveKeyFile.WriteNewPair(_temp.Path, "node"));
        Assert.Contains("exists; a new pair would lock out every subscriber", e.Message);
    }

    [Fact]
    public void LoadSecret_PublicFile_SaysTheNodeNeedsTheSecretOne()
    {
        var (publicPath, _) = CurveKeyFile.WriteNewPair(_temp.Path, "node");

        var e = Assert.Throws<CurveKeyException>(() => CurveKeyFile.LoadSecret(publicPath));
        Assert.Contains("the node needs the secret file (NAME.key_secret)", e.Message);
    }

    [Theory]
    [InlineData("just some text\n", "is not a ZeroMQ certificate")]
    [InlineData("curve\n    secret-key = \"tooshort\"\n", "secret-key is not a 40-character Z85 key")]
    [InlineData("curve\n    public-key = \"0000000000000000000000000000000000000000\"\n    secret-key = \"1111111111111111111111111111111111111111\"\n", "public-key does not belong to secret-key")]
    public void LoadSecret_BadFile_ThrowsWithTheFix(string text, string expected)
    {
        var path = Path.Combine(_temp.Path, "bad.key_secret");
        File.WriteAllText(path, text);

        var e = Assert.Throws<CurveKeyException>(() => CurveKeyFile.LoadSecret(path));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void LoadPublic_Missing_SaysHowToMakeAPair()
    {
        var e = Assert.Throws<CurveKeyException>(() => CurveKeyFile.LoadPublic(Path.Combine(_temp.Path, "none.key")));
        Assert.Contains("./drive-perception keys --out DIR", e.Message);
    }
}
