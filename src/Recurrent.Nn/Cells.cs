// RnnCell, LstmCell, GruCell: one time step at a time (text sampling, custom loops); backward pops steps in reverse.
using Recurrent.Tensors;

namespace Recurrent.Nn;

/// <summary>
/// The weights of one recurrent step with PyTorch's names (weight_ih, weight_hh, bias_ih, bias_hh). Every Forward
/// pushes what its backward needs; every Backward pops the newest step — call them in reverse order, as BPTT does.
/// <see cref="ClearSteps"/> forgets pushed steps (after inference, for example).
/// </summary>
public abstract class RecurrentCell : Module
{
    protected RecurrentCell(int gates, int inputSize, int hiddenSize, bool bias, Rng? rng, Device? device, DType dtype)
        : base(device ?? Tensors.Device.Cpu, dtype)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        WeightIh = new Parameter(Tensor.Zeros([gates * hiddenSize, inputSize], dtype, Device));
        WeightHh = new Parameter(Tensor.Zeros([gates * hiddenSize, hiddenSize], dtype, Device));
        BiasIh = bias ? new Parameter(Tensor.Zeros([gates * hiddenSize], dtype, Device)) : null;
        BiasHh = bias ? new Parameter(Tensor.Zeros([gates * hiddenSize], dtype, Device)) : null;
        if (rng is not null) InitUniform(rng, 1 / Math.Sqrt(hiddenSize), Parameters().ToArray());
    }

    public int InputSize { get; }
    public int HiddenSize { get; }
    public Parameter WeightIh { get; }
    public Parameter WeightHh { get; }
    public Parameter? BiasIh { get; }
    public Parameter? BiasHh { get; }

    /// <summary>Steps pushed by Forward and not yet popped by Backward.</summary>
    public abstract int PendingSteps { get; }
    public abstract void ClearSteps();

    public override IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        yield return ("weight_ih", WeightIh);
        yield return ("weight_hh", WeightHh);
        if (BiasIh is not null) yield return ("bias_ih", BiasIh);
        if (BiasHh is not null) yield return ("bias_hh", BiasHh);
    }

    protected int CheckStep(Tensor x, Tensor? state, string stateName, int width)
    {
        CheckInput(x, nameof(x));
        if (x.Rank != 2 || x.Dim(1) != InputSize)
            throw new ArgumentException($"x must be [B, {InputSize}]; got {x.ShapeText}", nameof(x));
        int batch = x.Dim(0);
        if (state is not null)
        {
            CheckInput(state, stateName);
            if (state.Rank != 2 || state.Dim(0) != batch || state.Dim(1) != width)
                throw new ArgumentException($"{stateName} must be [{batch}, {width}]; got {state.ShapeText}", stateName);
        }
        return batch;
    }

    /// <summary>gates = x·W_ihᵀ (+ b_ih) (+ h·W_hhᵀ + b_hh when fused): the affine part every cell shares.</summary>
    protected Tensor Affine(Tensor x, Tensor? h, int width, bool includeHidden)
    {
        var gates = Tensor.Zeros([x.Dim(0), width], DType, Device);
        Device.Gemm(x, false, WeightIh.Value, true, gates);
        if (BiasIh is not null) Device.AddBias(gates, BiasIh.Value);
        if (includeHidden)
        {
            if (h is not null) Device.Gemm(h, false, WeightHh.Value, true, gates, beta: 1);
            if (BiasHh is not null) Device.AddBias(gates, BiasHh.Value);
        }
        return gates;
    }

    /// <summary>Weight gradients and dx of one step from its gate gradients (input side and hidden side).</summary>
    protected Tensor AccumulateStep(Tensor x, Tensor hPrev, Tensor dInputSide, Tensor dHiddenSide)
    {
        Device.Gemm(dInputSide, true, x, false, WeightIh.Grad, beta: 1);
        Device.Gemm(dHiddenSide, true, hPrev, false, WeightHh.Grad, beta: 1);
        if (BiasIh is not null)
        {
            Device.SumOverRows(dInputSide, BiasIh.Grad, accumulate: true);
            Device.SumOverRows(dHiddenSide, BiasHh!.Grad, accumulate: true);
        }
        var dx = Tensor.ZerosLike(x);
        Device.Gemm(dInputSide, false, WeightIh.Value, false, dx);
        return dx;
    }

    protected Tensor StateOrZeros(Tensor? state, int batch) => state ?? Tensor.Zeros([batch, HiddenSize], DType, Device);
}

/// <summary>h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) (or relu).</summary>
public sealed class RnnCell : RecurrentCell
{
    private readonly Stack<(Tensor X, Tensor HPrev, Tensor H)> _steps = new();

    public RnnCell(int inputSize, int hiddenSize, bool bias = true, Nonlinearity nonlinearity = Nonlinearity.Tanh, Rng? rng = null, Device? device = null, DType dtype = DType.Float32)
        : base(1, inputSize, hiddenSize, bias, rng, device, dtype) => Nonlinearity = nonlinearity;

    public Nonlinearity Nonlinearity { get; }
    public override int PendingSteps => _steps.Count;
    public override void ClearSteps() => _steps.Clear();
    private Activation Act => Nonlinearity == Nonlinearity.Relu ? Activation.Relu : Activation.Tanh;

    /// <summary>x: [B, I], h: [B, H] (zeros when null) → h': [B, H].</summary>
    public Tensor Forward(Tensor x, Tensor? h = null)
    {
        int batch = CheckStep(x, h, nameof(h), HiddenSize);
        Tensor hPrev = StateOrZeros(h, batch);
        Tensor pre = Affine(x, hPrev, HiddenSize, includeHidden: true);
        var hNext = Tensor.ZerosLike(pre);
        Device.Activate(Act, pre, hNext);
        _steps.Push((x, hPrev, hNext));
        return hNext;
    }

    /// <summary>dh': [B, H] → (dx, dh) of the newest pushed step.</summary>
    public (Tensor DX, Tensor DH) Backward(Tensor dh)
    {
        if (_steps.Count == 0) throw new InvalidOperationException("Backward needs a Forward step that has not been popped");
        var (x, hPrev, hNext) = _steps.Pop();
        CheckInput(dh, nameof(dh));
        if (!dh.SameShape(hNext)) throw new ArgumentException($"dh must be {hNext.ShapeText}; got {dh.ShapeText}", nameof(dh));
        var dPre = Tensor.ZerosLike(dh);
        Device.ActivateBackward(Act, hNext, dh, dPre);
        Tensor dx = AccumulateStep(x, hPrev, dPre, dPre);
        var dhPrev = Tensor.ZerosLike(hPrev);
        Device.Gemm(dPre, false, WeightHh.Value, false, dhPrev);
        return (dx, dhPrev);
    }
}

/// <summary>PyTorch's LSTMCell: gates i, f, g, o; c' = f⊙c + i⊙g; h' = o⊙tanh(c').</summary>
public sealed class LstmCell : RecurrentCell
{
    private readonly Stack<(Tensor X, Tensor HPrev, Tensor CPrev, Tensor Gates, Tensor C)> _steps = new();

    public LstmCell(int inputSize, int hiddenSize, bool bias = true, Rng? rng = null, Device? device = null, DType dtype = DType.Float32)
        : base(4, inputSize, hiddenSize, bias, rng, device, dtype) { }

    public override int PendingSteps => _steps.Count;
    public override void ClearSteps() => _steps.Clear();

    /// <summary>x: [B, I], h and c: [B, H] (zeros when null) → (h', c').</summary>
    public (Tensor H, Tensor C) Forward(Tensor x, Tensor? h = null, Tensor? c = null)
    {
        int batch = CheckStep(x, h, nameof(h), HiddenSize);
        CheckStep(x, c, nameof(c), HiddenSize);
        Tensor hPrev = StateOrZeros(h, batch), cPrev = StateOrZeros(c, batch);
        Tensor gates = Affine(x, hPrev, 4 * HiddenSize, includeHidden: true);
        var cNext = Tensor.ZerosLike(cPrev);
        var hNext = Tensor.ZerosLike(hPrev);
        Device.LstmCellForward(gates, cPrev, cNext, hNext);
        _steps.Push((x, hPrev, cPrev, gates, cNext));
        return (hNext, cNext);
    }

    /// <summary>(dh', dc') of the newest pushed step (dc' zeros when null) → (dx, dh, dc).</summary>
    public (Tensor DX, Tensor DH, Tensor DC) Backward(Tensor dh, Tensor? dc = null)
    {
        if (_steps.Count == 0) throw new InvalidOperationException("Backward needs a Forward step that has not been popped");
        var (x, hPrev, cPrev, gates, cNext) = _steps.Pop();
        CheckInput(dh, nameof(dh));
        if (!dh.SameShape(hPrev)) throw new ArgumentException($"dh must be {hPrev.ShapeText}; got {dh.ShapeText}", nameof(dh));
        Tensor dcNext = dc ?? Tensor.ZerosLike(cPrev);
        var dGates = Tensor.ZerosLike(gates);
        var dcPrev = Tensor.ZerosLike(cPrev);
        Device.LstmCellBackward(gates, cPrev, cNext, dh, dcNext, dGates, dcPrev);
        Tensor dx = AccumulateStep(x, hPrev, dGates, dGates);
        var dhPrev = Tensor.ZerosLike(hPrev);
        Device.Gemm(dGates, false, WeightHh.Value, false, dhPrev);
        return (dx, dhPrev, dcPrev);
    }
}

/// <summary>PyTorch's GRUCell: gates r, z, n with n = tanh(W_in·x + b_in + r⊙(W_hn·h + b_hn)); h' = (1−z)⊙n + z⊙h.</summary>
public sealed class GruCell : RecurrentCell
{
    private readonly Stack<(Tensor X, Tensor HPrev, Tensor Saved)> _steps = new();

    public GruCell(int inputSize, int hiddenSize, bool bias = true, Rng? rng = null, Device? device = null, DType dtype = DType.Float32)
        : base(3, inputSize, hiddenSize, bias, rng, device, dtype) { }

    public override int PendingSteps => _steps.Count;
    public override void ClearSteps() => _steps.Clear();

    /// <summary>x: [B, I], h: [B, H] (zeros when null) → h'.</summary>
    public Tensor Forward(Tensor x, Tensor? h = null)
    {
        int batch = CheckStep(x, h, nameof(h), HiddenSize);
        Tensor hPrev = StateOrZeros(h, batch);
        Tensor xg = Affine(x, null, 3 * HiddenSize, includeHidden: false);
        var hg = Tensor.ZerosLike(xg);
        Device.Gemm(hPrev, false, WeightHh.Value, true, hg);
        var saved = Tensor.Zeros([batch, 4 * HiddenSize], DType, Device);
        var hNext = Tensor.ZerosLike(hPrev);
        Device.GruCellForward(xg, hg, BiasHh?.Value, hPrev, saved, hNext);
        _steps.Push((x, hPrev, saved));
        return hNext;
    }

    /// <summary>dh' of the newest pushed step → (dx, dh).</summary>
    public (Tensor DX, Tensor DH) Backward(Tensor dh)
    {
        if (_steps.Count == 0) throw new InvalidOperationException("Backward needs a Forward step that has not been popped");
        var (x, hPrev, saved) = _steps.Pop();
        CheckInput(dh, nameof(dh));
        if (!dh.SameShape(hPrev)) throw new ArgumentException($"dh must be {hPrev.ShapeText}; got {dh.ShapeText}", nameof(dh));
        var dxg = Tensor.Zeros([x.Dim(0), 3 * HiddenSize], DType, Device);
        var dhg = Tensor.ZerosLike(dxg);
        var dhPrev = Tensor.ZerosLike(hPrev);
        Device.GruCellBackward(saved, hPrev, dh, dxg, dhg, dhPrev);
        Tensor dx = AccumulateStep(x, hPrev, dxg, dhg);
        Device.Gemm(dhg, false, WeightHh.Value, false, dhPrev, beta: 1);
        return (dx, dhPrev);
    }
}
