// The base of every layer: named parameters (PyTorch state_dict names), train/eval mode, explicit gradient zeroing.
using Recurrent.Tensors;

namespace Recurrent.Nn;

public abstract class Module
{
    protected Module(Device device, DType dtype)
    {
        if (!dtype.IsFloatingPoint())
            throw new ArgumentException($"modules hold float32 or float64 parameters; got {dtype.Name()}", nameof(dtype));
        Device = device;
        DType = dtype;
    }

    public Device Device { get; }
    public DType DType { get; }

    /// <summary>Training mode turns dropout on; eval mode turns it off. Starts in training mode, like PyTorch.</summary>
    public bool Training { get; set; } = true;

    /// <summary>This module's parameters under PyTorch's state_dict names, children's with their prefix ("fc.weight").</summary>
    public abstract IEnumerable<(string Name, Parameter Parameter)> NamedParameters();

    public IEnumerable<Parameter> Parameters() => NamedParameters().Select(p => p.Parameter);

    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    public long ParameterCount => Parameters().Sum(p => p.Value.Length);

    /// <summary>Names a child's parameters with its prefix.</summary>
    protected static IEnumerable<(string, Parameter)> Prefixed(string prefix, Module child) =>
        child.NamedParameters().Select(p => ($"{prefix}.{p.Name}", p.Parameter));

    /// <summary>U(-bound, bound) for every parameter: PyTorch's default for RNN layers (bound = 1/√hidden) and Linear (1/√in).</summary>
    protected static void InitUniform(Rng rng, double bound, params Parameter[] parameters)
    {
        foreach (var p in parameters) rng.FillUniform(p.Value, -bound, bound);
    }

    /// <summary>Throws unless <paramref name="t"/> is on this module's device with its dtype.</summary>
    protected void CheckInput(Tensor t, string argument)
    {
        ArgumentNullException.ThrowIfNull(t, argument);
        if (!Device.SharesMemoryWith(t.Device))
            throw new ArgumentException($"{argument} is on {t.Device.Name}; this module is on {Device.Name}", argument);
        if (t.DType != DType)
            throw new ArgumentException($"{argument} is {t.DType.Name()}; this module is {DType.Name()}", argument);
    }
}
