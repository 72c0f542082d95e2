// The notebooks' model: a recurrent layer (RNN, LSTM or GRU) and a Linear head, on every step or on the last one.
using Recurrent.Nn;
using Recurrent.Tensors;

namespace Recurrent.Tasks.Models;

/// <summary>
/// nn.RNN/LSTM/GRU(batch_first=True) followed by nn.Linear, as every seed notebook builds it. The head reads every
/// step's output ([B, T, H] → [B, T, O]) or only the last step's ([B, H] → [B, O]).
/// </summary>
public sealed class SequenceModel
{
    private Tensor? _output;   // [B, T, D·H] the layer's output of the last Forward (two directions, last step read)
    private Tensor? _last;     // [B, D·H] copy of its last step, two directions (batch-first outputs are not contiguous per step)
    private Tensor? _dOutput;  // [B, T, D·H] gradient of the layer output when only the last step is read (two directions)
    private Tensor? _hN;       // [L, B, H] the layer's final states of the last Forward (one direction, last step read)
    private Tensor? _dhN;      // [L, B, H] their gradient: the head's in the top layer's row, zero below

    public SequenceModel(string model, int inputSize, int hiddenSize, int outputSize, bool everyStep, Rng rng, Device device,
        int layers = 1, bool bidirectional = false, double dropout = 0, DType dtype = DType.Float32)
    {
        var options = new RecurrentOptions { BatchFirst = true, NumLayers = layers, Bidirectional = bidirectional, Dropout = dropout };
        Rng init = rng.Fork(1);
        Recurrent = model switch
        {
            "rnn" => new Rnn(inputSize, hiddenSize, options, init, device, dtype),
            "lstm" => new Lstm(inputSize, hiddenSize, options, init, device, dtype),
            "gru" => new Gru(inputSize, hiddenSize, options, init, device, dtype),
            _ => throw new ArgumentException($"model must be rnn, lstm or gru; got '{model}'", nameof(model)),
        };
        Head = new Linear(Recurrent.Directions * hiddenSize, outputSize, true, init, device, dtype);
        EveryStep = everyStep;
        Model = model;
    }

    public string Model { get; }
    public RecurrentLayer Recurrent { get; }
    public Linear Head { get; }
    public bool EveryStep { get; }

    /// <summary>state_dict names as the notebooks' modules have them: rnn.* (or lstm.*), fc.*.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters() =>
        Recurrent.NamedParameters().Select(p => ($"{(Model == "lstm" ? "lstm" : Model)}.{p.Name}", p.Parameter))
            .Concat(Head.NamedParameters().Select(p => ($"fc.{p.Name}", p.Parameter)));

    public bool Training
    {
        get => Recurrent.Training;
        set => Recurrent.Training = value;
    }

    /// <summary>x: [B, T, I] → [B, T, O] (every step) or [B, O] (last step). The result is the head's buffer.</summary>
    public Tensor Forward(Tensor x)
    {
        var r = Recurrent.Forward(x);
        if (EveryStep) return Head.Forward(r.Output);
        // out[:, −1] of one direction is the top layer's final state: read from HN, the every-step output is never written.
        if (Recurrent.Directions == 1)
        {
            _hN = r.HN;
            return Head.Forward(r.HN[Recurrent.NumLayers - 1]);
        }
        Tensor last = LastStep(r.Output);
        return Head.Forward(last);
    }

    /// <summary>d(loss)/d(prediction) → accumulates every parameter's gradient.</summary>
    public void Backward(Tensor dPrediction)
    {
        Tensor dHead = Head.Backward(dPrediction);
        if (EveryStep)
        {
            Recurrent.Backward(dHead, inputGradient: false); // the input is data
            return;
        }
        var device = dHead.Device;
        if (Recurrent.Directions == 1)
        {
            // The head read h_T of the top layer: its gradient enters as dhN, and no step's output got one.
            Tensor hN = _hN ?? throw new InvalidOperationException("Backward needs a Forward first");
            Tensor dhN = Tensor.Reuse(ref _dhN, hN.Shape, hN.DType, hN.Device);
            device.Fill(dhN, 0);
            device.Copy(dHead, dhN[Recurrent.NumLayers - 1]);
            Recurrent.Backward(null, dhN, inputGradient: false);
            return;
        }
        // Two directions: only the last step feeds the head, so the output gradient is zero elsewhere.
        Tensor output = _output ?? throw new InvalidOperationException("Backward needs a Forward first");
        Tensor dOutput = Tensor.Reuse(ref _dOutput, output.Shape, output.DType, output.Device);
        device.Fill(dOutput, 0);
        int steps = output.Dim(1), features = output.Dim(2);
        // [B, T, F] read as [B, T·F]: the last step is the column block [(T−1)·F, T·F), one call for the whole batch.
        device.CopyToColumns(dHead, dOutput.Reshape(output.Dim(0), steps * features), (steps - 1) * features);
        Recurrent.Backward(dOutput, inputGradient: false);
    }

    private Tensor LastStep(Tensor output) // output: [B, T, F] batch-first
    {
        _output = output;
        int batch = output.Dim(0), steps = output.Dim(1), features = output.Dim(2);
        Tensor last = Tensor.Reuse(ref _last, [batch, features], output.DType, output.Device);
        output.Device.CopyFromColumns(output.Reshape(batch, steps * features), (steps - 1) * features, last);
        return last;
    }

    public void ZeroGrad()
    {
        Recurrent.ZeroGrad();
        Head.ZeroGrad();
    }

    /// <summary>
    /// LSTM only: the forget gates start with this bias (bias_ih's f block, rows [H, 2H) in PyTorch's gate order i, f, g, o,
    /// set to it; bias_hh's f block to 0) instead of PyTorch's U(−1/√H, 1/√H) — the usual cure (Gers et al. 2000;
    /// Jozefowicz et al. 2015; Keras's unit_forget_bias) for a gradient that fades through c at f ≈ 0.5. Every layer and direction.
    /// </summary>
    public void SetForgetBias(double bias)
    {
        if (Model != "lstm") throw new InvalidOperationException($"the forget-gate bias exists only in an LSTM; this model is {Model}");
        int h = Recurrent.HiddenSize;
        foreach (var (name, p) in Recurrent.NamedParameters())
        {
            if (name.StartsWith("bias_ih", StringComparison.Ordinal)) Recurrent.Device.Fill(p.Value.Narrow(h, h), bias);
            else if (name.StartsWith("bias_hh", StringComparison.Ordinal)) Recurrent.Device.Fill(p.Value.Narrow(h, h), 0);
        }
    }

    /// <summary>Copies of every parameter (the notebook's best_model_state), and their restoration.</summary>
    public Tensor[] Snapshot() => NamedParameters().Select(p => p.Parameter.Value.Clone()).ToArray();

    public void Restore(Tensor[] snapshot)
    {
        var ps = NamedParameters().ToArray();
        for (int i = 0; i < ps.Length; i++) ps[i].Parameter.Value.Device.Copy(snapshot[i], ps[i].Parameter.Value);
    }
}
