using System.Text;
using Microsoft.ML.OnnxRuntime;

// usage: OrtFeatures MODEL.onnx INPUT.npy OUT_DIR  (input: float32, C order; feeds the model's first input)
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: OrtFeatures MODEL.onnx INPUT.npy OUT_DIR");
    return 2;
}
var (shape, data) = Npy.ReadFloat32(args[1]);
using var session = new InferenceSession(args[0]);
var input = session.InputMetadata.Keys.First();
using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
using var results = session.Run(new RunOptions(), [input], [value], session.OutputNames);
for (var i = 0; i < results.Count; i++)
{
    var t = results[i];
    Npy.WriteFloat32(Path.Combine(args[2], $"out{i}.npy"), t.GetTensorTypeAndShape().Shape, t.GetTensorDataAsSpan<float>().ToArray());
}
Console.WriteLine($"onnxruntime {OrtEnv.Instance().GetVersionString()} (C#, CPU provider)");
return 0;

/// <summary>The little of NumPy's .npy format this check needs: float32, C order, version 1.0 headers.</summary>
static class Npy
{
    public static (long[] Shape, float[] Data) ReadFloat32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int headerLen = bytes[6] == 1 ? BitConverter.ToUInt16(bytes, 8) : (int)BitConverter.ToUInt32(bytes, 8);
        int start = bytes[6] == 1 ? 10 : 12;
        var header = Encoding.ASCII.GetString(bytes, start, headerLen);
        if (!header.Contains("'<f4'") || header.Contains("'fortran_order': True"))
            throw new InvalidDataException($"{path}: need float32 C-order, header {header}");
        var dims = header[(header.IndexOf("'shape': (") + 10)..];
        dims = dims[..dims.IndexOf(')')];
        var shape = dims.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        var data = new float[(bytes.Length - start - headerLen) / 4];
        Buffer.BlockCopy(bytes, start + headerLen, data, 0, data.Length * 4);
        return (shape, data);
    }

    public static void WriteFloat32(string path, long[] shape, float[] data)
    {
        var dims = string.Join(", ", shape) + (shape.Length == 1 ? "," : "");
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        header = header.PadRight(((header.Length + 11) / 64 + 1) * 64 - 11) + "\n";
        using var f = File.Create(path);
        f.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        f.Write(BitConverter.GetBytes((ushort)header.Length));
        f.Write(Encoding.ASCII.GetBytes(header));
        var raw = new byte[data.Length * 4];
        Buffer.BlockCopy(data, 0, raw, 0, raw.Length);
        f.Write(raw);
    }
}
