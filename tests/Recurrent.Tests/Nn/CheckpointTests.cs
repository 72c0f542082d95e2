// State dicts and training checkpoints: round trips, mismatch reports, atomic writes, and bit-identical resumed training.
using Recurrent.Nn;
using Recurrent.Nn.Checkpoints;
using Recurrent.Nn.Optim;
using Recurrent.Tensors;

namespace Recurrent.Tests.Nn;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"recurrent-ckpt-{Guid.NewGuid():N}");

    public CheckpointTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private static (Lstm Lstm, Linear Fc, List<(string Name, Parameter Parameter)> Named) Model(ulong seed, DType dtype = DType.Float32, int hidden = 5)
    {
        var rng = new Rng(seed);
        var lstm = new Lstm(3, hidden, new RecurrentOptions { NumLayers = 2, Bidirectional = true }, rng, dtype: dtype);
        var fc = new Linear(2 * hidden, 4, rng: rng, dtype: dtype);
        return (lstm, fc, Checkpoint.Named(("lstm", lstm), ("fc", fc)).ToList());
    }

    private static byte[] Bytes(Tensor t)
    {
        var bytes = new byte[t.Length * t.DType.SizeInBytes()];
        t.Device.Read(t, bytes);
        return bytes;
    }

    private static void AssertSameValues(IEnumerable<(string Name, Parameter Parameter)> expected, IEnumerable<(string Name, Parameter Parameter)> actual)
    {
        var a = actual.ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var (name, p) in expected)
            Assert.True(Bytes(p.Value).AsSpan().SequenceEqual(Bytes(a[name].Value)), $"{name} differs");
    }

    // ---- state dicts ----------------------------------------------------------------------------------------

    [Fact]
    public void StateDictRoundTripsBitForBitUnderPyTorchNames()
    {
        var (_, _, source) = Model(1);
        var (_, _, target) = Model(2);
        string path = PathOf("model.safetensors");
        Checkpoint.SaveStateDict(source, path, new Dictionary<string, string> { ["note"] = "hello" });
        var metadata = Checkpoint.LoadStateDict(target, path);
        AssertSameValues(source, target);
        Assert.Equal("pt", metadata["format"]);
        Assert.Equal("hello", metadata["note"]);
        var names = Safetensors.LoadHeader(path).Entries.Select(e => e.Name).ToHashSet();
        Assert.Contains("lstm.weight_ih_l0", names);
        Assert.Contains("lstm.bias_hh_l1_reverse", names);
        Assert.Contains("fc.weight", names);
    }

    [Fact]
    public void ModuleOverloadsUseTheModulesOwnNames()
    {
        var a = new Linear(3, 2, rng: new Rng(1));
        var b = new Linear(3, 2, rng: new Rng(2));
        string path = PathOf("linear.safetensors");
        Checkpoint.SaveStateDict(a, path);
        Checkpoint.LoadStateDict(b, path);
        Assert.Equal(new[] { "bias", "weight" }, Safetensors.LoadHeader(path).Entries.Select(e => e.Name));
        Assert.Equal(a.Weight.Value.ToArray<float>(), b.Weight.Value.ToArray<float>());
    }

    [Fact]
    public void Float32FilesLoadIntoFloat64ModelsAndBack()
    {
        var (_, _, f32) = Model(1, DType.Float32);
        var (_, _, f64) = Model(2, DType.Float64);
        string path = PathOf("f32.safetensors");
        Checkpoint.SaveStateDict(f32, path);
        Checkpoint.LoadStateDict(f64, path);
        var wide = f64.ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var (name, p) in f32)
            Assert.Equal(p.Value.ToArray<float>().Select(v => (double)v), wide[name].Value.ToArray<double>());

        string back = PathOf("f64.safetensors");
        Checkpoint.SaveStateDict(f64, back);
        Assert.All(Safetensors.LoadHeader(back).Entries, e => Assert.Equal("F64", e.DType));
        var (_, _, again) = Model(3, DType.Float32);
        Checkpoint.LoadStateDict(again, back);
        AssertSameValues(f32, again); // float → double → float is exact
    }

    [Fact]
    public void MismatchListsMissingUnexpectedAndMismatchedTogetherAndChangesNothing()
    {
        var (_, _, source) = Model(1);
        var tensors = Checkpoint.StateDict(source).Where(t => t.Name != "fc.bias" && t.Name != "lstm.weight_hh_l0" && t.Name != "fc.weight").ToList();
        tensors.Add(SafetensorsTensor.FromFloat32("head.weight", [1f], [1]));
        tensors.Add(SafetensorsTensor.FromFloat32("lstm.weight_hh_l0", new float[9], [3, 3]));
        tensors.Add(SafetensorsTensor.FromInt64("fc.weight", new long[40], [4, 10]));
        string path = PathOf("bad.safetensors");
        Safetensors.Save(path, tensors);

        var (_, _, target) = Model(2);
        var before = target.Select(p => (p.Name, Bytes(p.Parameter.Value))).ToList();
        var e = Assert.Throws<StateDictMismatchException>(() => Checkpoint.LoadStateDict(target, path));
        Assert.Equal(["fc.bias"], e.Missing);
        Assert.Equal(["head.weight"], e.Unexpected);
        Assert.Equal(2, e.Mismatched.Count);
        Assert.Contains(e.Mismatched, m => m.StartsWith("lstm.weight_hh_l0: shape differs (the file has F32 [3, 3], the model float32 [20, 5])", StringComparison.Ordinal));
        Assert.Contains(e.Mismatched, m => m.StartsWith("fc.weight: dtype cannot convert", StringComparison.Ordinal));
        Assert.Contains("1 missing, 1 unexpected, 2 mismatched", e.Message);
        Assert.Contains("missing: fc.bias", e.Message);
        Assert.Contains("unexpected: head.weight", e.Message);
        Assert.Contains(path, e.Message);
        foreach (var (name, bytes) in before)
            Assert.True(bytes.AsSpan().SequenceEqual(Bytes(target.First(p => p.Name == name).Parameter.Value)), $"{name} was changed by a failed load");
    }

    [Fact]
    public void NonStrictLoadsAllowMissingAndUnexpectedButNotMismatched()
    {
        var (_, fcSource, _) = Model(1);
        string path = PathOf("fc.safetensors");
        Safetensors.Save(path, [.. Checkpoint.StateDict(Checkpoint.Named(("fc", fcSource))), SafetensorsTensor.FromFloat32("extra", [1f], [1])]);
        var (_, fc, target) = Model(2);
        Checkpoint.LoadStateDict(target, path, strict: false);
        Assert.Equal(fcSource.Weight.Value.ToArray<float>(), fc.Weight.Value.ToArray<float>());

        var (_, _, wider) = Model(3, hidden: 6); // fc is [4, 12] here
        var e = Assert.Throws<StateDictMismatchException>(() => Checkpoint.LoadStateDict(wider, path, strict: false));
        Assert.Empty(e.Missing);
        Assert.Empty(e.Unexpected);
        Assert.Single(e.Mismatched);
    }

    // ---- atomic writes --------------------------------------------------------------------------------------

    [Fact]
    public void AnExceptionMidWriteLeavesThePreviousFileIntactAndNoTemporaryFile()
    {
        var (_, _, model) = Model(1);
        string path = PathOf("model.safetensors");
        Checkpoint.SaveStateDict(model, path);
        byte[] good = File.ReadAllBytes(path);

        byte[] next = Safetensors.Serialize(Checkpoint.StateDict(Model(2).Named));
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(next, 0, next.Length / 2);
            throw new IOException("disk full (simulated)");
        }));
        Assert.Equal("disk full (simulated)", e.Message);
        Assert.Equal(good, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
        Checkpoint.LoadStateDict(Model(3).Named, path); // still loads
    }

    [Fact]
    public void AFailedRenameOrMissingFolderLeavesNoTemporaryFile()
    {
        var (_, _, model) = Model(1);
        string folderAsTarget = PathOf("a-folder");
        Directory.CreateDirectory(folderAsTarget);
        Assert.ThrowsAny<Exception>(() => Checkpoint.SaveStateDict(model, folderAsTarget));
        Assert.Empty(Directory.GetFiles(_folder));
        Assert.Empty(Directory.GetFiles(folderAsTarget));

        Assert.Throws<DirectoryNotFoundException>(() => Checkpoint.SaveStateDict(model, PathOf("missing/model.safetensors")));
    }

    [Fact]
    public void SavingOverAnExistingCheckpointReplacesIt()
    {
        string path = PathOf("model.safetensors");
        var (_, _, first) = Model(1);
        var (_, _, second) = Model(2);
        Checkpoint.SaveStateDict(first, path);
        Checkpoint.SaveStateDict(second, path);
        var (_, _, target) = Model(3);
        Checkpoint.LoadStateDict(target, path);
        AssertSameValues(second, target);
        Assert.Single(Directory.GetFiles(_folder));
    }

    // ---- training checkpoints -----------------------------------------------------------------------------

    /// <summary>LSTM(3→8) + Linear(8→2), MSE on random data drawn per batch from the data generator.</summary>
    private sealed class Run
    {
        private readonly Lstm _lstm;
        private readonly Linear _fc;
        private readonly MseLoss _mse = new();

        public Run(ulong initSeed, ulong dataSeed, Func<List<(string, Parameter)>, Optimizer> optimizer, bool dropout = false)
        {
            var init = new Rng(initSeed);
            _lstm = new Lstm(3, 8, dropout ? new RecurrentOptions { NumLayers = 2, Dropout = 0.3 } : null, init);
            _fc = new Linear(8, 2, rng: init);
            Named = Checkpoint.Named(("lstm", _lstm), ("fc", _fc)).ToList();
            Optimizer = optimizer(Named);
            Data = new Rng(dataSeed);
        }

        public List<(string Name, Parameter Parameter)> Named { get; }
        public Optimizer Optimizer { get; }
        public Rng Data { get; set; }

        /// <summary>The layer's dropout generator: it must travel with the checkpoint too.</summary>
        public Rng Dropout
        {
            get => _lstm.DropoutRng;
            set => _lstm.DropoutRng = value;
        }
        public List<double> Losses { get; } = [];
        public long Steps { get; private set; }

        public void Epoch()
        {
            for (int batch = 0; batch < 3; batch++)
            {
                // Odd element counts leave a spare normal in the generator between draws: its state must travel too.
                using var x = Tensor.Zeros(5, 3, 3);
                using var target = Tensor.Zeros(5, 3, 2);
                Data.FillNormal(x);
                Data.FillNormal(target);
                int steps = 2 + Data.NextInt(4);
                using var xs = x.Narrow(0, steps).Clone();
                using var ts = target.Narrow(0, steps).Clone();
                Optimizer.ZeroGrad();
                var prediction = _fc.Forward(_lstm.Forward(xs).Output);
                Losses.Add(_mse.Forward(prediction, ts).Item());
                _lstm.Backward(_fc.Backward(_mse.Backward()));
                Optimizer.Step();
                Steps++;
            }
        }

        public void Resumed(long steps) => Steps = steps;
    }

    public static TheoryData<string> Optimizers() => new() { "adam", "sgd-momentum", "adamw", "adam-dropout" };

    private static Func<List<(string, Parameter)>, Optimizer> OptimizerFor(string name) => name switch
    {
        "adam" => p => new Adam(p, lr: 0.01),
        "adamw" => p => new AdamW(p, lr: 0.01),
        "adam-dropout" => p => new Adam(p, lr: 0.01),
        _ => p => new Sgd(p, lr: 0.05, momentum: 0.9, nesterov: true),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void ResumedTrainingIsBitIdenticalToAnUninterruptedRun(string optimizer)
    {
        bool dropout = optimizer.EndsWith("dropout", StringComparison.Ordinal);
        var straight = new Run(initSeed: 1, dataSeed: 2, OptimizerFor(optimizer), dropout);
        for (int epoch = 0; epoch < 4; epoch++) straight.Epoch();

        var first = new Run(initSeed: 1, dataSeed: 2, OptimizerFor(optimizer), dropout);
        for (int epoch = 0; epoch < 2; epoch++) first.Epoch();
        string path = PathOf("run.safetensors");
        const string config = "{\"model\": \"lstm\", \"hidden\": 8, \"lr\": 0.01}";
        TrainingCheckpoint.Save(path, first.Named, first.Optimizer, new Dictionary<string, Rng> { ["data"] = first.Data, ["dropout"] = first.Dropout },
            epoch: 2, step: first.Steps, config, new Dictionary<string, string> { ["host"] = "test" });

        // Fresh objects, deliberately different weights and generator: the checkpoint must overwrite all of it.
        var second = new Run(initSeed: 99, dataSeed: 98, OptimizerFor(optimizer), dropout);
        var checkpoint = TrainingCheckpoint.Load(path, second.Named, second.Optimizer);
        Assert.Equal(2, checkpoint.Epoch);
        Assert.Equal(6, checkpoint.Step);
        Assert.Equal(config, checkpoint.Config);
        Assert.Equal("test", checkpoint.Metadata["host"]);
        Assert.Equal(6, second.Optimizer.StepCount);
        second.Data = checkpoint.Rngs["data"];
        second.Dropout = checkpoint.Rngs["dropout"];
        second.Resumed(checkpoint.Step);
        for (long epoch = checkpoint.Epoch; epoch < 4; epoch++) second.Epoch();

        var resumedLosses = first.Losses.Concat(second.Losses).ToList();
        Assert.Equal(12, resumedLosses.Count);
        Assert.Equal(straight.Losses.Select(BitConverter.DoubleToInt64Bits), resumedLosses.Select(BitConverter.DoubleToInt64Bits));
        AssertSameValues(straight.Named, second.Named);
        Assert.Equal(straight.Optimizer.StepCount, second.Optimizer.StepCount);
        foreach (var (name, state) in straight.Optimizer.State)
            foreach (var (key, tensor) in state)
                Assert.True(Bytes(tensor).AsSpan().SequenceEqual(Bytes(second.Optimizer.State[name][key])), $"optimizer {name}.{key} differs");
        Assert.Equal(straight.Data.GetState(), second.Data.GetState());
    }

    [Fact]
    public void TrainingCheckpointHoldsOptimizerStateRngsAndCounters()
    {
        var run = new Run(1, 2, OptimizerFor("adam"));
        run.Epoch();
        run.Optimizer.Lr = 0.003; // a schedule changed it; it must come back
        string path = PathOf("run.safetensors");
        TrainingCheckpoint.Save(path, run.Named, run.Optimizer, new Dictionary<string, Rng> { ["data"] = run.Data, ["dropout"] = new Rng(7) }, 1, 3);
        var header = Safetensors.LoadHeader(path);
        var names = header.Entries.ToDictionary(e => e.Name);
        Assert.Equal("I64", names["rng.data"].DType);
        Assert.Equal([7], names["rng.dropout"].Shape);
        Assert.Equal("F32", names["optimizer.state.lstm.weight_ih_l0.exp_avg"].DType);
        Assert.Contains("optimizer.state.fc.bias.exp_avg_sq", names.Keys);
        Assert.Equal("training", header.Metadata["recurrent.checkpoint"]);
        Assert.Equal("Adam", header.Metadata["optimizer.type"]);
        Assert.Equal("3", header.Metadata["optimizer.step_count"]);

        var other = new Run(5, 6, OptimizerFor("adam"));
        var checkpoint = TrainingCheckpoint.Load(path, other.Named, other.Optimizer);
        Assert.Equal(0.003, other.Optimizer.Lr);
        Assert.Equal(new Rng(7).GetState(), checkpoint.Rngs["dropout"].GetState());
        Assert.Null(checkpoint.Config);

        // The same file is a plain state dict too: the reserved optimizer and RNG tensors are skipped.
        var plain = new Run(8, 9, OptimizerFor("adam"));
        Checkpoint.LoadStateDict(plain.Named, path);
        AssertSameValues(run.Named, plain.Named);
    }

    [Fact]
    public void TrainingCheckpointMismatchesAreReportedTogether()
    {
        var run = new Run(1, 2, OptimizerFor("adam"));
        string path = PathOf("run.safetensors");
        TrainingCheckpoint.Save(path, run.Named, run.Optimizer, null, 0, 0);

        var sgd = new Run(3, 4, OptimizerFor("sgd-momentum"));
        var e = Assert.Throws<StateDictMismatchException>(() => TrainingCheckpoint.Load(path, sgd.Named.Take(3), sgd.Optimizer));
        Assert.Contains(e.Mismatched, m => m.StartsWith("optimizer: the file's is Adam, this one is Sgd", StringComparison.Ordinal));
        Assert.Contains("lstm.bias_hh_l0", e.Unexpected);                                       // a parameter the caller did not pass
        Assert.Contains("optimizer.state.lstm.weight_ih_l0.momentum_buffer", e.Missing);        // SGD's state the file lacks
        Assert.Contains("optimizer.state.lstm.weight_ih_l0.exp_avg", e.Unexpected);             // Adam's state SGD has no use for

        string plain = PathOf("plain.safetensors");
        Checkpoint.SaveStateDict(run.Named, plain);
        Assert.Throws<CheckpointException>(() => TrainingCheckpoint.Load(plain, run.Named, run.Optimizer));

        string noOptimizer = PathOf("no-optimizer.safetensors");
        TrainingCheckpoint.Save(noOptimizer, run.Named, null, null, 0, 0);
        Assert.Throws<CheckpointException>(() => TrainingCheckpoint.Load(noOptimizer, run.Named, run.Optimizer));
        Assert.Equal(0, TrainingCheckpoint.Load(noOptimizer, run.Named, null).Epoch);
    }

    [Fact]
    public void BadRngStatesAndCountersAreRejected()
    {
        var run = new Run(1, 2, OptimizerFor("adam"));
        var tensors = Checkpoint.StateDict(run.Named).ToList();
        tensors.Add(SafetensorsTensor.FromInt64("rng.zero", new long[7], [7]));
        tensors.Add(SafetensorsTensor.FromInt64("rng.short", new long[3], [3]));
        var meta = new Dictionary<string, string> { ["recurrent.checkpoint"] = "training", ["epoch"] = "1", ["step"] = "2" };
        string path = PathOf("bad-rng.safetensors");
        Safetensors.Save(path, tensors, meta);
        var e = Assert.Throws<StateDictMismatchException>(() => TrainingCheckpoint.Load(path, run.Named, null));
        Assert.Equal(2, e.Mismatched.Count);

        meta["epoch"] = "-1";
        Safetensors.Save(path, Checkpoint.StateDict(run.Named), meta);
        Assert.Contains("'epoch'", Assert.Throws<CheckpointException>(() => TrainingCheckpoint.Load(path, run.Named, null)).Message);
    }

    [Fact]
    public void SaveRejectsReservedNamesKeysAndNonJsonConfig()
    {
        var run = new Run(1, 2, OptimizerFor("adam"));
        string path = PathOf("x.safetensors");
        Assert.Throws<ArgumentException>(() => TrainingCheckpoint.Save(path, run.Named, null, null, 0, 0, config: "not json"));
        Assert.Throws<ArgumentException>(() => TrainingCheckpoint.Save(path, run.Named, null, null, 0, 0, metadata: new Dictionary<string, string> { ["epoch"] = "3" }));
        var p = new Parameter(Tensor.Zeros(1));
        Assert.Throws<ArgumentException>(() => TrainingCheckpoint.Save(path, [("rng.x", p)], null, null, 0, 0));
        Assert.False(File.Exists(path));
    }
}
