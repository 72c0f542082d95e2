// Files written from PyTorch load into our layers with the same values and outputs; files we write go back to PyTorch.
using Recurrent.Nn;
using Recurrent.Nn.Checkpoints;
using Recurrent.Tensors;
using Xunit.Abstractions;

namespace Recurrent.Tests.Nn;

public class SafetensorsPyTorchTests
{
    private readonly ITestOutputHelper _output;

    public SafetensorsPyTorchTests(ITestOutputHelper output) => _output = output;

    private static string Reference(string name) => Path.Combine(AppContext.BaseDirectory, "reference", name);

    private static (Lstm Lstm, Linear Fc, List<(string Name, Parameter Parameter)> Named) Model(DType dtype)
    {
        var lstm = new Lstm(3, 5, new RecurrentOptions { NumLayers = 2, Bidirectional = true }, dtype: dtype);
        var fc = new Linear(10, 4, dtype: dtype);
        return (lstm, fc, Checkpoint.Named(("lstm", lstm), ("fc", fc)).ToList());
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void PyTorchStateDictLoadsWithItsValuesAndForwardMatchesWithin1e5(DType dtype)
    {
        var (lstm, fc, named) = Model(dtype);
        var metadata = Checkpoint.LoadStateDict(named, Reference("pytorch_lstm_fc.safetensors"));
        Assert.Equal("pt", metadata["format"]);

        using var doc = ReferenceData.Load("pytorch_lstm_fc");
        var c = doc.RootElement;
        var parameters = c.GetProperty("parameters");
        Assert.Equal(parameters.EnumerateObject().Select(p => p.Name).Order(), named.Select(p => p.Name).Order());
        foreach (var (name, p) in named)
        {
            // The JSON holds the float32 values exactly (as doubles); the file's bytes must decode to them, bit for bit.
            double[] expected = ReferenceData.Values(parameters.GetProperty(name));
            double[] actual = dtype == DType.Float32 ? p.Value.ToArray<float>().Select(v => (double)v).ToArray() : p.Value.ToArray<double>();
            Assert.Equal(ReferenceData.Shape(parameters.GetProperty(name)), p.Value.Shape.ToArray());
            Assert.Equal(expected, actual);
        }

        using var x = ReferenceData.Tensor(c.GetProperty("x"), dtype);
        var y = fc.Forward(lstm.Forward(x).Output);
        ReferenceData.AssertClose(c.GetProperty("output"), y, 1e-5, "fc(lstm(x))");
    }

    [Fact]
    public void PyTorchMixedFileHoldsEveryDTypeRankZeroAndEmpty()
    {
        var file = Safetensors.Load(Reference("pytorch_mixed.safetensors"));
        Assert.Equal("mixed dtypes, rank 0, empty", file.Metadata["note"]);
        Assert.Equal(new[] { -1, -0.5, 0, 0.5, 1, 1.5 }, file["f64"].ToFloat64());
        Assert.Equal(new[] { 2, 3 }, file["f64"].Shape.ToArray());
        Assert.Equal(new[] { -2, -1, 0, int.MaxValue }, Assert.IsType<int[]>(file["i64_small"].Values));
        Assert.Equal(new[] { 1L << 40, -(1L << 40) - 3 }, Assert.IsType<long[]>(file["i64_large"].Values));
        Assert.Equal(new[] { 1, -2, 3, -4 }, file["i32"].ToInt32());
        Assert.Equal(new byte[] { 1, 2, 255 }, file["u8"].Data.ToArray());
        Assert.Equal("U8", file["u8"].DType);
        Assert.Equal(0, file["scalar"].Rank);
        Assert.Equal(3.25f, file["scalar"].ToFloat32().Single());
        Assert.Equal(new[] { 0, 3 }, file["empty"].Shape.ToArray());
        Assert.Equal(0, file["empty"].ByteLength);

        // Our writer makes the same bytes as the hand-written PyTorch file: same order, same padding, same JSON.
        byte[] ours = Safetensors.Serialize(file.Tensors, file.Metadata);
        Assert.Equal(File.ReadAllBytes(Reference("pytorch_mixed.safetensors")), ours);
    }

    /// <summary>
    /// Writes our state dict and training checkpoint of the PyTorch model to the temp folder, for the check mode of
    /// tests/reference/make_safetensors.py (run by hand: it needs PyTorch).
    /// </summary>
    [Fact]
    public void FilesForThePythonCheckAreWrittenAndReadBack()
    {
        var (_, _, named) = Model(DType.Float32);
        Checkpoint.LoadStateDict(named, Reference("pytorch_lstm_fc.safetensors"));
        string folder = Path.Combine(Path.GetTempPath(), "recurrent-safetensors-check");
        Directory.CreateDirectory(folder);
        string stateDict = Path.Combine(folder, "state_dict.safetensors"), training = Path.Combine(folder, "training.safetensors");
        Checkpoint.SaveStateDict(named, stateDict);
        var opt = new Recurrent.Nn.Optim.Adam(named);
        TrainingCheckpoint.Save(training, named, opt, new Dictionary<string, Rng> { ["data"] = new Rng(5) }, epoch: 1, step: 2, config: "{\"model\": \"lstm\"}");
        _output.WriteLine($"/usr/bin/python3 tests/reference/make_safetensors.py --check {stateDict} {training}");

        var original = Safetensors.Load(Reference("pytorch_lstm_fc.safetensors"));
        var written = Safetensors.Load(stateDict);
        Assert.Equal(original.Tensors.OrderBy(t => t.Name), written.Tensors.OrderBy(t => t.Name));
    }
}
