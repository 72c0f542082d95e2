// PyTorch parity: our layers, loaded with PyTorch's weights, reproduce its outputs, states and every gradient.
using System.Text.Json;
using Recurrent.Nn;
using Recurrent.Tensors;

namespace Recurrent.Tests.Nn;

public class RnnParityTests
{
    public static TheoryData<string> Cases() => new()
    {
        "rnn_tanh_packed", "rnn_relu_packed", "lstm_packed", "lstm_proj_packed", "gru_packed",
        "rnn_tanh_full", "rnn_relu_full", "lstm_full", "lstm_proj_full", "gru_full",
        "lstm_batch_first_packed", "gru_batch_first_full",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float64MatchesPyTorchWithin1e10(string name) => Compare(name, DType.Float64, 1e-10);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float32MatchesPyTorchWithin1e5(string name) => Compare(name, DType.Float32, 1e-5);

    private static void Compare(string name, DType dtype, double tolerance)
    {
        using var doc = ReferenceData.Load(name);
        var c = doc.RootElement;
        var options = new RecurrentOptions
        {
            NumLayers = c.GetProperty("num_layers").GetInt32(),
            Bidirectional = c.GetProperty("bidirectional").GetBoolean(),
            BatchFirst = c.GetProperty("batch_first").GetBoolean(),
            ProjSize = c.GetProperty("proj_size").GetInt32(),
            Nonlinearity = c.GetProperty("nonlinearity").GetString() == "relu" ? Nonlinearity.Relu : Nonlinearity.Tanh,
        };
        int input = c.GetProperty("input_size").GetInt32(), hidden = c.GetProperty("hidden_size").GetInt32();
        RecurrentLayer layer = c.GetProperty("cell").GetString() switch
        {
            "lstm" => new Lstm(input, hidden, options, dtype: dtype),
            "gru" => new Gru(input, hidden, options, dtype: dtype),
            _ => new Rnn(input, hidden, options, dtype: dtype),
        };
        ReferenceData.LoadParameters(layer, c.GetProperty("parameters"), dtype);
        int[]? lengths = c.GetProperty("lengths").ValueKind == JsonValueKind.Null
            ? null : c.GetProperty("lengths").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        bool lstm = layer.Cell == CellKind.Lstm;
        Tensor T(string key) => ReferenceData.Tensor(c.GetProperty(key), dtype);

        var result = layer.Forward(T("x"), T("h0"), lstm ? T("c0") : null, lengths);
        ReferenceData.AssertClose(c.GetProperty("output"), result.Output, tolerance, "output");
        ReferenceData.AssertClose(c.GetProperty("h_n"), result.HN, tolerance, "h_n");
        if (lstm) ReferenceData.AssertClose(c.GetProperty("c_n"), result.CN!, tolerance, "c_n");

        var grads = layer.Backward(T("w_out"), T("w_h"), lstm ? T("w_c") : null);
        ReferenceData.AssertClose(c.GetProperty("grad_x"), grads.DInput!, tolerance, "grad x");
        ReferenceData.AssertClose(c.GetProperty("grad_h0"), grads.DH0, tolerance, "grad h0");
        if (lstm) ReferenceData.AssertClose(c.GetProperty("grad_c0"), grads.DC0!, tolerance, "grad c0");
        var expectedGrads = c.GetProperty("grads");
        int checkedCount = 0;
        foreach (var (pname, p) in layer.NamedParameters())
        {
            ReferenceData.AssertClose(expectedGrads.GetProperty(pname), p.Grad, tolerance, $"grad {pname}");
            checkedCount++;
        }
        Assert.Equal(expectedGrads.EnumerateObject().Count(), checkedCount);
    }
}

/// <summary>Reads the JSON files that tests/reference/make_rnn_parity.py wrote.</summary>
internal static class ReferenceData
{
    public static JsonDocument Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "reference", $"{name}.json");
        return JsonDocument.Parse(File.ReadAllText(path));
    }

    public static double[] Values(JsonElement entry) => entry.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static int[] Shape(JsonElement entry) => entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static Tensor Tensor(JsonElement entry, DType dtype) => dtype == DType.Float64
        ? Recurrent.Tensors.Tensor.From<double>(Values(entry), Shape(entry))
        : Recurrent.Tensors.Tensor.From<float>(Values(entry).Select(v => (float)v).ToArray(), Shape(entry));

    public static void LoadParameters(Module module, JsonElement parameters, DType dtype)
    {
        var names = module.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        Assert.Equal(parameters.EnumerateObject().Select(p => p.Name).OrderBy(n => n), names.Keys.OrderBy(n => n));
        foreach (var entry in parameters.EnumerateObject())
        {
            var p = names[entry.Name];
            Assert.Equal(Shape(entry.Value), p.Value.Shape.ToArray());
            using var t = Tensor(entry.Value, dtype);
            Device.Cpu.Copy(t, p.Value);
        }
    }

    /// <summary>max|ours − reference| ≤ tolerance · max(max|reference|, 1): relative to the tensor's magnitude.</summary>
    public static void AssertClose(JsonElement expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(Shape(expected), actual.Shape.ToArray());
        double[] e = Values(expected);
        double[] a = actual.DType == DType.Float64 ? actual.ToArray<double>() : actual.ToArray<float>().Select(v => (double)v).ToArray();
        double scale = Math.Max(1, e.Max(Math.Abs)), worst = 0;
        for (int i = 0; i < e.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - e[i]));
        Assert.True(worst <= tolerance * scale, $"{what}: max error {worst:E3} > {tolerance:E0} × {scale:G4}");
    }
}
