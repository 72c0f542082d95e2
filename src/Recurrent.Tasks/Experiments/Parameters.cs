// An experiment's options: declared with their notebook defaults, parsed from the command line, all overridable.
using System.Globalization;

namespace Recurrent.Tasks.Experiments;

public enum ParameterKind
{
    Int,
    Double,
    Bool,
    Text,
    /// <summary>A range start:stop:step (stop exclusive, like Python's range) or a comma list: "1:30:4", "5,10,20".</summary>
    IntList,
    /// <summary>A comma list of words: "rnn,lstm".</summary>
    TextList,
}

/// <param name="Default">The notebook's value, as text in the same syntax the command line takes.</param>
/// <param name="Allowed">For Text and TextList, the accepted words; null accepts any.</param>
public sealed record ParameterSpec(string Name, ParameterKind Kind, string Default, string Description, double Min = double.NegativeInfinity,
    double Max = double.PositiveInfinity, IReadOnlyList<string>? Allowed = null);

/// <summary>Thrown for an option value that does not parse or is out of range; the CLI turns it into exit code 2.</summary>
public sealed class ParameterException(string message) : Exception(message);

/// <summary>The values of one experiment's parameters: the defaults, with whatever the user overrode.</summary>
public sealed class Settings
{
    private readonly Dictionary<string, ParameterSpec> _specs;
    private readonly Dictionary<string, string> _values;

    public Settings(IEnumerable<ParameterSpec> specs, IReadOnlyDictionary<string, string>? overrides = null)
    {
        _specs = specs.ToDictionary(s => s.Name);
        _values = _specs.Values.ToDictionary(s => s.Name, s => s.Default);
        foreach (var spec in _specs.Values) Validate(spec, spec.Default); // a bad default is our bug: fail loudly
        if (overrides is not null)
            foreach (var (name, value) in overrides) Set(name, value);
    }

    public IReadOnlyCollection<ParameterSpec> Specs => _specs.Values;

    /// <summary>Every parameter and its current text, in declaration order (what results.json records).</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    public bool IsDefault(string name) => _values[name] == _specs[name].Default;

    public void Set(string name, string value)
    {
        if (!_specs.TryGetValue(name, out var spec))
            throw new ParameterException($"unknown option --{name}; this experiment takes {string.Join(", ", _specs.Keys.Select(k => "--" + k))}");
        Validate(spec, value);
        _values[name] = value;
    }

    /// <summary>A copy with some values replaced (the tuned settings of one model, for example).</summary>
    public Settings With(IReadOnlyDictionary<string, string> overrides)
    {
        var copy = new Settings(_specs.Values, _values);
        foreach (var (name, value) in overrides) copy.Set(name, value);
        return copy;
    }

    public int Int(string name) => int.Parse(Get(name, ParameterKind.Int), CultureInfo.InvariantCulture);
    public double Double(string name) => double.Parse(Get(name, ParameterKind.Double), CultureInfo.InvariantCulture);
    public bool Bool(string name) => bool.Parse(Get(name, ParameterKind.Bool));
    public string Text(string name) => Get(name, ParameterKind.Text);
    public int[] IntList(string name) => ParseIntList(Get(name, ParameterKind.IntList), name);
    public string[] TextList(string name) => SplitList(Get(name, ParameterKind.TextList));

    private string Get(string name, ParameterKind kind)
    {
        if (!_specs.TryGetValue(name, out var spec)) throw new KeyNotFoundException($"the experiment has no parameter '{name}'");
        if (spec.Kind != kind) throw new InvalidOperationException($"parameter '{name}' is {spec.Kind}, not {kind}");
        return _values[name];
    }

    private static string[] SplitList(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int[] ParseIntList(string text, string name)
    {
        string[] range = text.Split(':');
        if (range.Length is 2 or 3)
        {
            if (!range.All(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
                throw new ParameterException($"--{name} {text}: a range is start:stop[:step] with whole numbers");
            int start = int.Parse(range[0], CultureInfo.InvariantCulture), stop = int.Parse(range[1], CultureInfo.InvariantCulture);
            int step = range.Length == 3 ? int.Parse(range[2], CultureInfo.InvariantCulture) : 1;
            if (step <= 0) throw new ParameterException($"--{name} {text}: the step must be positive");
            if (stop <= start) throw new ParameterException($"--{name} {text}: stop ({stop}) must be above start ({start}); stop is exclusive, as in Python's range");
            var values = new List<int>();
            for (int v = start; v < stop; v += step) values.Add(v);
            return values.ToArray();
        }
        var items = SplitList(text);
        if (items.Length == 0) throw new ParameterException($"--{name} is empty; give a list like 5,10 or a range like 1:30:4");
        return items.Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw new ParameterException($"--{name} {text}: '{p}' is not a whole number")).ToArray();
    }

    private static void Validate(ParameterSpec spec, string value)
    {
        string range = $"[{Fmt(spec.Min)}, {Fmt(spec.Max)}]";
        void InRange(double v, string shown)
        {
            if (!(v >= spec.Min && v <= spec.Max))
                throw new ParameterException($"--{spec.Name} {shown} is out of range; expected a value in {range}");
        }
        switch (spec.Kind)
        {
            case ParameterKind.Int:
                if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i))
                    throw new ParameterException($"--{spec.Name} '{value}' is not a whole number");
                InRange(i, value);
                break;
            case ParameterKind.Double:
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d))
                    throw new ParameterException($"--{spec.Name} '{value}' is not a finite number");
                InRange(d, value);
                break;
            case ParameterKind.Bool:
                if (!bool.TryParse(value, out _)) throw new ParameterException($"--{spec.Name} '{value}' must be true or false");
                break;
            case ParameterKind.IntList:
                foreach (int v in ParseIntList(value, spec.Name)) InRange(v, v.ToString(CultureInfo.InvariantCulture));
                break;
            case ParameterKind.TextList:
            case ParameterKind.Text:
                var words = spec.Kind == ParameterKind.Text ? [value] : SplitList(value);
                if (words.Length == 0) throw new ParameterException($"--{spec.Name} is empty");
                if (spec.Allowed is not null)
                    foreach (var w in words)
                        if (!spec.Allowed.Contains(w))
                            throw new ParameterException($"--{spec.Name} '{w}' is not accepted; expected {string.Join(", ", spec.Allowed)}");
                break;
        }
    }

    private static string Fmt(double v) => double.IsInfinity(v) ? (v > 0 ? "∞" : "−∞") : v.ToString(CultureInfo.InvariantCulture);
}
