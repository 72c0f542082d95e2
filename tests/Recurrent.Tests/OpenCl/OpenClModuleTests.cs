// Recurrent.Nn on OpenCL: Linear, Embedding, Rnn/Lstm/Gru, the losses and Adam give the CPU's forward and backward.
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tensors;

namespace Recurrent.Tests.OpenCl;

public class OpenClModuleTests
{
    /// <summary>float32 1e-5 and float64 1e-11, of each result's magnitude: whole layers chain many kernels.</summary>
    private static double Tol(DType dtype) => dtype == DType.Float32 ? 1e-5 : 1e-11;

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void LinearMatchesCpu(DType dtype)
    {
        var cpu = new Linear(10, 6, rng: new Rng(1), dtype: dtype);
        var ocl = new Linear(10, 6, rng: new Rng(1), device: Ocl.Device, dtype: dtype);
        var (x, dx) = Ocl.Pair(2, dtype, [5, 7, 10]);
        var (g, dg) = Ocl.Pair(3, dtype, [5, 7, 6]);
        Ocl.Close(cpu.Forward(x), ocl.Forward(dx), Tol(dtype), "linear y");
        Ocl.Close(cpu.Backward(g), ocl.Backward(dg), Tol(dtype), "linear dx");
        ParametersClose(cpu, ocl, Tol(dtype), "linear");
    }

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void EmbeddingMatchesCpu(DType dtype)
    {
        foreach (int? padding in new int?[] { null, 2 })
        {
            var cpu = new Embedding(9, 5, padding, new Rng(4), dtype: dtype);
            var ocl = new Embedding(9, 5, padding, new Rng(4), Ocl.Device, dtype);
            int[] ids = [2, 0, 8, 2, 2, 5, 0, 1, 2, 7, 3, 2];
            var idx = Tensor.From(ids, 3, 4);
            Ocl.Close(cpu.Forward(idx), ocl.Forward(Ocl.OnDevice(idx)), 0, $"embedding y padding={padding}");
            var (g, dg) = Ocl.Pair(5, dtype, [3, 4, 5]);
            cpu.Backward(g);
            ocl.Backward(dg);
            ParametersClose(cpu, ocl, Tol(dtype), $"embedding padding={padding}");
        }
    }

    public static TheoryData<DType, string> RecurrentCases()
    {
        var data = new TheoryData<DType, string>();
        foreach (DType dtype in Ocl.DTypes())
            foreach (string c in new[] { "rnn_tanh", "rnn_relu_2layer_bidir", "rnn_tanh_lengths", "rnn_relu_bidir_lengths", "lstm", "lstm_lengths", "lstm_2layer_bidir_lengths", "lstm_proj_batchfirst_lengths",
                                         "gru", "gru_2layer_bidir_lengths", "gru_nobias_batchfirst_lengths" })
                data.Add(dtype, c);
        return data;
    }

    /// <summary>
    /// PyTorch's test_nn RNN sizes (input 10, hidden 6, T 7, B 6): outputs, final states, dX, dh0, dc0 and every
    /// parameter gradient of the OpenCL layer against the CPU layer with the same weights.
    /// </summary>
    [OpenClTheory]
    [MemberData(nameof(RecurrentCases))]
    public void RecurrentLayersMatchCpu(DType dtype, string name)
    {
        const int input = 10, hidden = 6, steps = 7, batch = 6;
        var options = new RecurrentOptions
        {
            NumLayers = name.Contains("2layer") ? 2 : 1,
            Bidirectional = name.Contains("bidir"),
            BatchFirst = name.Contains("batchfirst"),
            Bias = !name.Contains("nobias"),
            Nonlinearity = name.Contains("relu") ? Nonlinearity.Relu : Nonlinearity.Tanh,
            ProjSize = name.Contains("proj") ? 4 : 0,
        };
        int[]? lengths = name.Contains("lengths") ? [7, 3, 5, 1, 7, 6] : null;
        RecurrentLayer Make(Device? device) => name[..3] switch
        {
            "rnn" => new Rnn(input, hidden, options, new Rng(11), device, dtype),
            "lst" => new Lstm(input, hidden, options, new Rng(11), device, dtype),
            _ => new Gru(input, hidden, options, new Rng(11), device, dtype),
        };
        RecurrentLayer cpu = Make(null), ocl = Make(Ocl.Device);
        int[] xShape = options.BatchFirst ? [batch, steps, input] : [steps, batch, input];
        int states = options.NumLayers * (options.Bidirectional ? 2 : 1);
        var (x, dx) = Ocl.Pair(21, dtype, xShape);
        var (h0, dh0) = Ocl.Pair(22, dtype, [states, batch, cpu.OutputHiddenSize]);
        var (c0, dc0) = Ocl.Pair(23, dtype, [states, batch, hidden]);
        bool lstm = cpu.Cell == CellKind.Lstm;
        double tol = Tol(dtype);

        var rc = cpu.Forward(x, h0, lstm ? c0 : null, lengths);
        var ro = ocl.Forward(dx, dh0, lstm ? dc0 : null, lengths);
        Ocl.Close(rc.Output, ro.Output, tol, $"{name} output");
        Ocl.Close(rc.HN, ro.HN, tol, $"{name} hN");
        if (lstm) Ocl.Close(rc.CN!, ro.CN!, tol, $"{name} cN");

        var (gy, dgy) = Ocl.Pair(24, dtype, rc.Output.Shape.ToArray());
        var (ghN, dghN) = Ocl.Pair(25, dtype, rc.HN.Shape.ToArray());
        var gc = cpu.Backward(gy, ghN);
        var go = ocl.Backward(dgy, dghN);
        Ocl.Close(gc.DInput!, go.DInput!, tol, $"{name} dX");
        Ocl.Close(gc.DH0, go.DH0, tol, $"{name} dh0");
        if (lstm) Ocl.Close(gc.DC0!, go.DC0!, tol, $"{name} dc0");
        ParametersClose(cpu, ocl, tol, name);
    }

    /// <summary>
    /// Three training steps of Embedding → LSTM → Linear → cross-entropy (masked, with an ignored target) → Adam:
    /// losses and every parameter after the updates match the CPU run.
    /// </summary>
    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void TrainingStepsWithCrossEntropyAndAdamMatchCpu(DType dtype)
    {
        var cpu = new TinyModel(null, dtype);
        var ocl = new TinyModel(Ocl.Device, dtype);
        var rng = new Random(3);
        for (int step = 0; step < 3; step++)
        {
            int[] ids = Enumerable.Range(0, 5 * 4).Select(_ => rng.Next(TinyModel.Vocab)).ToArray();
            int[] next = ids.Select((v, i) => i % 7 == 6 ? -100 : (v + 1) % TinyModel.Vocab).ToArray();
            double[] mask = Enumerable.Range(0, 20).Select(i => i % 5 == 0 ? 0.0 : 1.0).ToArray();
            double lc = cpu.Step(Tensor.From(ids, 5, 4), Tensor.From(next, 5, 4), Ocl.Cpu(mask, dtype, 5, 4));
            double lo = ocl.Step(Tensor.From(ids, 5, 4).To(Ocl.Device), Tensor.From(next, 5, 4).To(Ocl.Device), Ocl.OnDevice(Ocl.Cpu(mask, dtype, 5, 4)));
            Assert.True(Math.Abs(lc - lo) <= 10 * Tol(dtype) * Math.Abs(lc), $"step {step}: loss {lo} vs cpu {lc}");
        }
        foreach (var ((name, pc), (_, po)) in cpu.Parameters().Zip(ocl.Parameters()))
            Ocl.Close(pc.Value, po.Value, 10 * Tol(dtype), $"{name} after 3 Adam steps");

        // MSE and BCE-with-logits modules too: forward and backward.
        foreach (Loss loss in new Loss[] { new MseLoss(), new BceWithLogitsLoss(Reduction.Sum) })
        {
            Loss twin = loss is MseLoss ? new MseLoss() : new BceWithLogitsLoss(Reduction.Sum);
            var (x, dx) = Ocl.Pair(8, dtype, [4, 3, 2]);
            var (y, dy) = Ocl.Pair(9, dtype, [4, 3, 2], 0, 1);
            Ocl.Close(loss.Forward(x, y), twin.Forward(dx, dy), 10 * Tol(dtype), $"{loss.GetType().Name} forward");
            Ocl.Close(loss.Backward(), twin.Backward(), Tol(dtype), $"{loss.GetType().Name} backward");
        }
    }

    private static void ParametersClose(Module cpu, Module ocl, double tol, string what)
    {
        foreach (var ((name, pc), (_, po)) in cpu.NamedParameters().Zip(ocl.NamedParameters()))
        {
            Ocl.Close(pc.Value, po.Value, 0, $"{what} {name}");
            Ocl.Close(pc.Grad, po.Grad, tol, $"{what} {name}.grad");
        }
    }

    /// <summary>A character model small enough to step three times in a test.</summary>
    private sealed class TinyModel
    {
        public const int Vocab = 7;
        private readonly Embedding _embed;
        private readonly Lstm _lstm;
        private readonly Linear _head;
        private readonly CrossEntropyLoss _loss = new();
        private readonly Adam _adam;

        public TinyModel(Device? device, DType dtype)
        {
            var rng = new Rng(5);
            _embed = new Embedding(Vocab, 4, rng: rng, device: device, dtype: dtype);
            _lstm = new Lstm(4, 8, new RecurrentOptions(), rng, device, dtype);
            _head = new Linear(8, Vocab, rng: rng, device: device, dtype: dtype);
            _adam = new Adam(Parameters(), lr: 0.05);
        }

        public IEnumerable<(string, Parameter)> Parameters() =>
            _embed.NamedParameters().Select(p => ("embed." + p.Name, p.Parameter))
                .Concat(_lstm.NamedParameters().Select(p => ("lstm." + p.Name, p.Parameter)))
                .Concat(_head.NamedParameters().Select(p => ("head." + p.Name, p.Parameter)));

        /// <summary>ids, targets: int32 [T, B]; mask [T, B]. Returns the loss before the update.</summary>
        public double Step(Tensor ids, Tensor targets, Tensor mask)
        {
            _adam.ZeroGrad();
            var e = _embed.Forward(ids);                     // [T, B, 4]
            var h = _lstm.Forward(e).Output;                 // [T, B, 8]
            var logits = _head.Forward(h);                   // [T, B, V]
            double loss = _loss.Forward(logits, targets, mask).Item();
            var dh = _head.Backward(_loss.Backward());
            _embed.Backward(_lstm.Backward(dh).DInput!);
            _adam.Step();
            return loss;
        }
    }
}
