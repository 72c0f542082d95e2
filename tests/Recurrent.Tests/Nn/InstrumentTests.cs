// The BPTT instruments against hand-computed values, and the vanishing gradient they exist to show.
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tensors;

namespace Recurrent.Tests.Nn;

public class InstrumentTests
{
    private static void SetWeights(Module m, params (string Name, double[] Values)[] weights)
    {
        foreach (var (name, values) in weights)
            m.NamedParameters().Single(p => p.Name == name).Parameter.Value.CopyFrom<double>(values);
    }

    [Fact]
    public void RnnGradientNormsGateStatsAndTraceMatchHandComputation()
    {
        // One unit, no bias: h_t = tanh(0.5·x_t + 0.8·h_{t−1}); the loss is h_3 alone.
        var rnn = new Rnn(1, 1, new RecurrentOptions { Bias = false }, dtype: DType.Float64);
        SetWeights(rnn, ("weight_ih_l0", [0.5]), ("weight_hh_l0", [0.8]));
        rnn.Instruments.RecordGradientNorms = true;
        rnn.Instruments.RecordGateStatistics = true;
        rnn.Instruments.TraceBatchElement = 0;
        double[] x = [1, -1, 0.5];
        var r = rnn.Forward(Tensor.From(x, 3, 1, 1));
        double h1 = Math.Tanh(0.5), h2 = Math.Tanh(-0.5 + 0.8 * h1), h3 = Math.Tanh(0.25 + 0.8 * h2);
        Assert.Equal(h3, r.Output[2].Item(), 15);

        rnn.Backward(Tensor.From([0.0, 0, 1], 3, 1, 1));
        double g3 = 1, g2 = g3 * (1 - h3 * h3) * 0.8, g1 = g2 * (1 - h2 * h2) * 0.8;
        var series = Assert.Single(rnn.Instruments.GradientNorms);
        Assert.Null(series.CellNorms);
        Assert.Equal(g1, series.HiddenNorms[0], 14);
        Assert.Equal(g2, series.HiddenNorms[1], 14);
        Assert.Equal(g3, series.HiddenNorms[2], 14);

        var gate = Assert.Single(rnn.Instruments.GateStatistics);
        Assert.Equal("h", gate.Gate);
        Assert.Equal((h1 + h2 + h3) / 3, gate.Mean, 14);
        Assert.Equal(0, gate.SaturatedFraction); // every |h| < 0.9 here

        var trace = Assert.Single(rnn.Instruments.Traces);
        Assert.Equal(new[,] { { h1 }, { h2 }, { h3 } }, trace.H);
    }

    [Fact]
    public void LstmCellGradientNormIsTheHandComputedOneAtTheLastStep()
    {
        // One unit, no bias, every weight 1 (input) / 0.5 (recurrent): compute the forward by hand and dL/dc_T for L = h_T.
        var lstm = new Lstm(1, 1, new RecurrentOptions { Bias = false }, dtype: DType.Float64);
        SetWeights(lstm, ("weight_ih_l0", [1, 1, 1, 1]), ("weight_hh_l0", [0.5, 0.5, 0.5, 0.5]));
        lstm.Instruments.RecordGradientNorms = true;
        lstm.Instruments.RecordGateStatistics = true;
        double[] x = [0.3, -0.7];
        lstm.Forward(Tensor.From(x, 2, 1, 1));
        static double S(double v) => 1 / (1 + Math.Exp(-v));
        double h = 0, c = 0, o = 0;
        var gates = new List<double[]>();
        foreach (double xt in x)
        {
            double pre = xt + 0.5 * h;
            double i = S(pre), f = S(pre), g = Math.Tanh(pre);
            o = S(pre);
            c = f * c + i * g;
            h = o * Math.Tanh(c);
            gates.Add([i, f, g, o]);
        }
        lstm.Backward(Tensor.From([0.0, 1], 2, 1, 1));
        double dcLast = o * (1 - Math.Tanh(c) * Math.Tanh(c));
        var series = Assert.Single(lstm.Instruments.GradientNorms);
        Assert.Equal(1.0, series.HiddenNorms[1], 14);
        Assert.Equal(dcLast, series.CellNorms![1], 14);
        var stats = lstm.Instruments.GateStatistics;
        Assert.Equal(["i", "f", "g", "o"], stats.Select(s => s.Gate));
        Assert.Equal((gates[0][2] + gates[1][2]) / 2, stats[2].Mean, 14);
    }

    [Fact]
    public void ReverseDirectionIsReportedInInputTimeWithinEachLength()
    {
        var gru = new Gru(2, 3, new RecurrentOptions { Bidirectional = true }, new Rng(3), dtype: DType.Float64);
        gru.Instruments.TraceBatchElement = 1;
        gru.Instruments.RecordGradientNorms = true;
        var x = Tensor.Zeros([5, 2, 2], DType.Float64);
        new Rng(4).FillUniform(x, -1, 1);
        int[] lengths = [5, 3];
        var r = gru.Forward(x, lengths: lengths);
        var reverse = gru.Instruments.Traces.Single(t => t.Direction == 1);
        Assert.Equal(3, reverse.H.GetLength(0));
        for (int t = 0; t < 3; t++)
        {
            double[] outRow = r.Output[t][1].ToArray<double>();
            for (int j = 0; j < 3; j++) Assert.Equal(outRow[3 + j], reverse.H[t, j]);
        }
        var dOut = Tensor.Zeros([5, 2, 6], DType.Float64);
        new Rng(5).FillUniform(dOut, -1, 1);
        gru.Backward(dOut);
        var back = gru.Instruments.GradientNorms.Single(s => s.Direction == 1).HiddenNorms;
        Assert.All(back, v => Assert.True(double.IsFinite(v) && v > 0));
    }

    [Fact]
    public void InstrumentsOffRecordNothing()
    {
        var lstm = new Lstm(2, 3, rng: new Rng(1));
        var x = Tensor.Zeros(4, 2, 2);
        lstm.Backward(Tensor.ZerosLike(lstm.Forward(x).Output));
        Assert.Empty(lstm.Instruments.GradientNorms);
        Assert.Empty(lstm.Instruments.GateStatistics);
        Assert.Empty(lstm.Instruments.Traces);
    }

    [Fact]
    public void NonFiniteGuardNamesParameterStepAndLoss()
    {
        var rnn = new Rnn(1, 2, rng: new Rng(1), dtype: DType.Float64);
        var x = Tensor.From([1.0, 2, 3, 4], 4, 1, 1);
        rnn.Forward(x);
        var dOut = Tensor.Zeros([4, 1, 2], DType.Float64);
        dOut[2].CopyFrom<double>([double.NaN, 0]);
        rnn.ZeroGrad();
        rnn.Backward(dOut);
        var e = Assert.Throws<NonFiniteGradientException>(() => NonFiniteGuard.Check(0.5, rnn.NamedParameters(), trainingStep: 7, rnn));
        Assert.Equal("weight_ih_l0", e.Parameter);
        Assert.Equal((0, 0, 2), e.Step);
        Assert.Contains("weight_ih_l0", e.Message);
        Assert.Contains("time step 2", e.Message);
        Assert.Contains("training step 7", e.Message);
        Assert.Contains("0.5", e.Message);

        rnn.ZeroGrad();
        NonFiniteGuard.Check(0.5, rnn.NamedParameters()); // finite again: no throw
        var lossOnly = Assert.Throws<NonFiniteGradientException>(() => NonFiniteGuard.Check(double.PositiveInfinity, rnn.NamedParameters()));
        Assert.Null(lossOnly.Parameter);
        Assert.Equal(double.PositiveInfinity, lossOnly.Loss);
        Assert.StartsWith("the loss is", lossOnly.Message);
    }

    [Fact]
    public void FirstTokenGradientVanishesInAnUntrainedRnnAndSurvivesInATrainedLstm()
    {
        // The seed notebook's task: 1000 sequences of 20 bits, the label is the first bit; hidden 16, Adam lr 0.01, full batch.
        // Measured with this code (seeds 1–3): an untrained RNN's ‖dL/dh_0‖/‖dL/dh_19‖ is 2e-6 … 1e-5 (≈ 0.55 per step back);
        // an LSTM trained until it solves the task (loss ≈ 0.001) keeps 0.2 … 3.1. Not asserted, because it is not always
        // true: an untrained LSTM decays too (7e-5: its forget gates start near 0.5), and an RNN that does solve the task
        // (it can, at T = 20) keeps its gradient as well (ratio ≈ 5) — see the README's first-token section.
        var (rnnLoss, rnnRatio) = TrainFirstToken(CellKind.Rnn, seed: 2, epochs: 0);
        var (lstmLoss, lstmRatio) = TrainFirstToken(CellKind.Lstm, seed: 2, epochs: 150);
        Assert.InRange(rnnLoss, 0.65, 0.75);               // untrained: chance level
        Assert.True(rnnRatio < 1e-4, $"untrained RNN ratio {rnnRatio:E2}: expected a geometric decay over 20 steps (measured 9.6e-6)");
        Assert.True(lstmLoss < 0.01, $"LSTM loss {lstmLoss}: expected the task solved after 150 epochs (measured 0.001)");
        Assert.True(lstmRatio > 0.3, $"trained LSTM ratio {lstmRatio:E2}: expected the gradient to survive 20 steps (measured 3.1)");
    }

    /// <summary>Trains for <paramref name="epochs"/> full-batch Adam steps, then returns the loss and ‖dL/dh_0‖ / ‖dL/dh_19‖.</summary>
    private static (double Loss, double Ratio) TrainFirstToken(CellKind cell, ulong seed, int epochs)
    {
        const int N = 1000, T = 20, H = 16;
        var rng = new Rng(seed);
        var x = Tensor.Zeros(T, N, 1);   // time-first: the last step is a view
        var bits = new float[T * N];
        for (int i = 0; i < bits.Length; i++) bits[i] = rng.Bernoulli(0.5) ? 1 : 0;
        x.CopyFrom<float>(bits);
        var y = Tensor.From(Enumerable.Range(0, N).Select(b => bits[b]).ToArray(), N, 1); // label = first token
        RecurrentLayer layer = cell == CellKind.Lstm ? new Lstm(1, H, rng: new Rng(seed + 10)) : new Rnn(1, H, rng: new Rng(seed + 10));
        var head = new Linear(H, 1, true, new Rng(seed + 20));
        var loss = new BceWithLogitsLoss();
        var adam = new Adam(layer.Parameters().Concat(head.Parameters()), lr: 0.01);
        var dOut = Tensor.Zeros(T, N, H);
        double lastLoss = double.NaN;
        for (int epoch = 0; epoch <= epochs; epoch++)
        {
            layer.Instruments.RecordGradientNorms = epoch == epochs; // measure after the last update
            adam.ZeroGrad();
            var r = layer.Forward(x);
            lastLoss = loss.Forward(head.Forward(r.Output[T - 1]), y).Item();
            Device.Cpu.Copy(head.Backward(loss.Backward()), dOut[T - 1]);
            layer.Backward(dOut);
            if (epoch < epochs) adam.Step();
        }
        double[] norms = layer.Instruments.GradientNorms[0].HiddenNorms;
        return (lastLoss, norms[0] / norms[T - 1]);
    }
}
