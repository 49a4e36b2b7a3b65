using System.Globalization;
using System.Text;
using NetMQ;

namespace DrivePerception.Transport;

/// <summary>
/// CURVE key pairs in ZeroMQ's certificate format (zcert, the format of czmq and of pyzmq's <c>zmq.auth</c>): a text
/// file with a <c>curve</c> section whose <c>public-key</c> (and, in the secret file, <c>secret-key</c>) are 40-character
/// Z85 strings. The public half goes in <c>NAME.key</c> (give it to subscribers), both halves in
/// <c>NAME.key_secret</c> (keep it on the node, readable by its user only). pyzmq's
/// <c>zmq.auth.load_certificate</c> reads both files, and this class reads the files pyzmq's
/// <c>zmq.auth.create_certificates</c> writes.
/// </summary>
public static class CurveKeyFile
{
    /// <summary>Extension of the public file.</summary>
    public const string PublicExtension = ".key";

    /// <summary>Extension of the secret file.</summary>
    public const string SecretExtension = ".key_secret";

    /// <summary>
    /// Writes a new key pair as <paramref name="folder"/>/NAME.key and NAME.key_secret (the secret one readable by
    /// its owner only). Refuses to replace existing files. Returns the two paths.
    /// </summary>
    public static (string PublicPath, string SecretPath) WriteNewPair(string folder, string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains('/'))
            throw new CurveKeyException($"Key name '{name}' is not a file name; use letters, digits, '-' or '_', e.g. node.");
        if (!Directory.Exists(folder))
            throw new CurveKeyException($"Folder '{folder}' does not exist: create it first (mkdir -p {folder}), and keep it private.");
        string publicPath = Path.Combine(folder, name + PublicExtension), secretPath = Path.Combine(folder, name + SecretExtension);
        foreach (var path in new[] { publicPath, secretPath })
            if (File.Exists(path))
                throw new CurveKeyException($"'{path}' exists; a new pair would lock out every subscriber that has the old public key. Delete both files first, or choose another --name.");
        var certificate = new NetMQCertificate();
        File.WriteAllText(publicPath, Format(certificate, withSecret: false));
        // Created empty with owner-only permissions before the secret is written, so it is never readable by others.
        using (var stream = new FileStream(secretPath, new FileStreamOptions
               {
                   Mode = FileMode.CreateNew, Access = FileAccess.Write,
                   UnixCreateMode = OperatingSystem.IsWindows() ? null : UnixFileMode.UserRead | UnixFileMode.UserWrite,
               }))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            writer.Write(Format(certificate, withSecret: true));
        return (publicPath, secretPath);
    }

    /// <summary>The node's certificate (public and secret key) from a NAME.key_secret file.</summary>
    public static NetMQCertificate LoadSecret(string path)
    {
        var (publicKey, secretKey) = Read(path);
        if (secretKey is null)
            throw new CurveKeyException($"'{path}' holds no secret-key: the node needs the secret file (NAME{SecretExtension}), not the public one (NAME{PublicExtension}). Make a pair with `./drive-perception keys --out DIR`.");
        NetMQCertificate certificate;
        try
        {
            certificate = NetMQCertificate.CreateFromSecretKey(secretKey);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IndexOutOfRangeException)
        {
            throw new CurveKeyException($"'{path}': secret-key is not a 40-character Z85 key ({e.Message}). Make a new pair with `./drive-perception keys --out DIR`.", e);
        }
        if (publicKey is not null && publicKey != certificate.PublicKeyZ85)
            throw new CurveKeyException($"'{path}': public-key does not belong to secret-key (the file was edited or mixed from two pairs). Make a new pair with `./drive-perception keys --out DIR`.");
        return certificate;
    }

    /// <summary>The server's public key (32 bytes) from its NAME.key file (a NAME.key_secret file works too: only its public half is read).</summary>
    public static byte[] LoadPublic(string path)
    {
        var (publicKey, _) = Read(path);
        if (publicKey is null)
            throw new CurveKeyException($"'{path}' holds no public-key: give the node's public certificate (NAME{PublicExtension}, from `./drive-perception keys`).");
        try
        {
            return NetMQCertificate.FromPublicKey(publicKey).PublicKey;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IndexOutOfRangeException)
        {
            throw new CurveKeyException($"'{path}': public-key is not a 40-character Z85 key ({e.Message}). Copy NAME{PublicExtension} from the node again.", e);
        }
    }

    // Reads the keys the way zmq.auth.load_certificate does: lines after stripping, '#' comments skipped, the value
    // after '=' with spaces and quotes trimmed.
    private static (string? Public, string? Secret) Read(string path)
    {
        if (!File.Exists(path))
            throw new CurveKeyException($"Key file '{path}' not found. Make a pair with `./drive-perception keys --out DIR` (the node takes NAME{SecretExtension}, subscribers NAME{PublicExtension}).");
        string[] lines;
        try
        {
            if (new FileInfo(path).Length > 64 * 1024) throw new CurveKeyException($"'{path}' is {new FileInfo(path).Length} bytes: not a ZeroMQ certificate (a few hundred bytes).");
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CurveKeyException($"Cannot read key file '{path}': {e.Message}. Check its permissions (the node's user must read it).", e);
        }
        string? publicKey = null, secretKey = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('#')) continue;
            if (line.StartsWith("public-key", StringComparison.Ordinal)) publicKey = Value(line);
            else if (line.StartsWith("secret-key", StringComparison.Ordinal)) secretKey = Value(line);
        }
        if (publicKey is null && secretKey is null)
            throw new CurveKeyException($"'{path}' is not a ZeroMQ certificate (no public-key or secret-key line). Make a pair with `./drive-perception keys --out DIR`.");
        return (publicKey, secretKey);
    }

    private static string Value(string line)
    {
        int eq = line.IndexOf('=');
        return eq < 0 ? "" : line[(eq + 1)..].Trim(' ', '\t', '"', '\'');
    }

    private static string Format(NetMQCertificate certificate, bool withSecret)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"#   ****  Generated on {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC by drive-perception keys  ****");
        text.AppendLine(withSecret
            ? "#   ZeroMQ CURVE **Secret** Certificate\n#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions."
            : "#   ZeroMQ CURVE Public Certificate\n#   Exchange securely, or use a secure mechanism to verify the contents\n#   of this file after exchange.");
        text.AppendLine();
        text.AppendLine("metadata");
        text.AppendLine("curve");
        text.AppendLine($"    public-key = \"{certificate.PublicKeyZ85}\"");
        if (withSecret) text.AppendLine($"    secret-key = \"{certificate.SecretKeyZ85}\"");
        return text.ToString();
    }
}
