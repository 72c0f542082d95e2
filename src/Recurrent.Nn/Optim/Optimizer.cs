// The base of the optimizers: named parameters, the step count, per-parameter state tensors (for checkpoints), ZeroGrad.
using Recurrent.Tensors;

namespace Recurrent.Nn.Optim;

/// <summary>
/// Updates parameters from the gradients Backward accumulated. State lives in device tensors allocated once, at
/// construction, so <see cref="Step"/> allocates nothing. <see cref="State"/> exposes them by parameter name and
/// PyTorch's state key ("exp_avg", "exp_avg_sq", "momentum_buffer"): a checkpoint reader copies into them and sets
/// <see cref="StepCount"/>.
/// </summary>
public abstract class Optimizer
{
    private readonly (string Name, Parameter Parameter)[] _parameters;
    private readonly Dictionary<string, IReadOnlyDictionary<string, Tensor>> _state = new();
    private long _stepCount;
    private double _lr;

    protected Optimizer(IEnumerable<(string Name, Parameter Parameter)> parameters, double lr)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0) throw new ArgumentException("the optimizer got an empty parameter list", nameof(parameters));
        var names = new HashSet<string>();
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var (name, p) in _parameters)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(parameters));
            if (!names.Add(name)) throw new ArgumentException($"parameter name '{name}' appears twice", nameof(parameters));
            if (!seen.Add(p)) throw new ArgumentException($"parameter '{name}' is the same Parameter as an earlier entry", nameof(parameters));
        }
        if (!(lr >= 0) || double.IsInfinity(lr)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "lr must be a finite number ≥ 0");
        Lr = lr;
    }

    /// <summary>Names "0", "1", … in order, like the indices of a PyTorch optimizer's state_dict.</summary>
    protected static IEnumerable<(string Name, Parameter Parameter)> Numbered(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Select((p, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), p));
    }

    public IReadOnlyList<(string Name, Parameter Parameter)> Parameters => _parameters;

    /// <summary>The learning rate; settable between steps (schedules).</summary>
    public double Lr
    {
        get => _lr;
        set
        {
            if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(nameof(Lr), value, "lr must be a finite number ≥ 0");
            _lr = value;
        }
    }

    /// <summary>Steps taken so far (PyTorch's "step"); the next <see cref="Step"/> is step StepCount + 1.</summary>
    public long StepCount
    {
        get => _stepCount;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(StepCount));
            _stepCount = value;
        }
    }

    /// <summary>Per parameter name, its state tensors by PyTorch's key. Empty for a parameter that needs none.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, Tensor>> State => _state;

    /// <summary>One update of every parameter from its Grad.</summary>
    public void Step()
    {
        StepCore(_stepCount + 1);
        _stepCount++;
    }

    /// <param name="step">The step being taken, from 1.</param>
    protected abstract void StepCore(long step);

    public void ZeroGrad()
    {
        foreach (var (_, p) in _parameters) p.ZeroGrad();
    }

    /// <summary>Zero tensors shaped like each parameter, registered in <see cref="State"/> under <paramref name="keys"/>.</summary>
    protected Tensor[][] AllocateState(params string[] keys)
    {
        var result = new Tensor[keys.Length][];
        for (int k = 0; k < keys.Length; k++) result[k] = new Tensor[_parameters.Length];
        for (int i = 0; i < _parameters.Length; i++)
        {
            var entry = new Dictionary<string, Tensor>();
            for (int k = 0; k < keys.Length; k++)
                entry[keys[k]] = result[k][i] = Tensor.ZerosLike(_parameters[i].Parameter.Value);
            _state[_parameters[i].Name] = entry;
        }
        return result;
    }

    /// <summary>Registers an empty state for every parameter (an optimizer that keeps none).</summary>
    protected void NoState()
    {
        foreach (var (name, _) in _parameters) _state[name] = new Dictionary<string, Tensor>();
    }
}
