// The options every command spells, checks and explains the same way, and typed options whose errors name option, value and range.
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Recurrent.Cli;

/// <summary>
/// --device, --threads, --seed, --out, --quiet and --json: each command adds the ones that mean something for it
/// (a command never accepts an option it would ignore), and they behave alike everywhere:
/// --json puts one machine-readable result on stdout and human text on stderr; --quiet drops progress and notes;
/// a bad value is a usage error (exit 2) naming the option, the value and what is accepted.
/// (--verbose is declared once on the root and is accepted by every command.)
/// </summary>
internal static class CommonOptions
{
    public const int MaxThreads = 1024;

    public static Option<string> Device(bool allowAll = false)
    {
        var option = new Option<string>("--device")
        {
            Description = allowAll
                ? "auto, cpu, opencl[:N] or all (every device, PoCL included, with the CPU/OpenCL ratio); auto picks the first OpenCL GPU, else the CPU"
                : "auto, cpu or opencl[:N] (N as `recurrent devices` lists them); auto picks the first OpenCL GPU, else the CPU device (never PoCL), and says which on stderr",
            DefaultValueFactory = _ => "auto",
            HelpName = allowAll ? "auto|cpu|opencl[:N]|all" : "auto|cpu|opencl[:N]",
        };
        option.Validators.Add(r =>
        {
            if (!DeviceChoice.TryParse(r.GetValueOrDefault<string>(), allowAll, out _, out string error)) r.AddError(error);
        });
        return option;
    }

    public static Option<int> Threads(string description, int? defaultValue = null) =>
        Int("--threads", description, 1, MaxThreads, defaultValue ?? Environment.ProcessorCount);

    public static Option<ulong> Seed(string description, ulong defaultValue = 1)
    {
        var option = new Option<ulong>("--seed") { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = "S" };
        option.CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)) return value;
            r.AddError($"--seed '{text}' is not a seed; expected an integer in 0..{ulong.MaxValue}");
            return 0;
        };
        return option;
    }

    public static Option<string?> Out(string description) => new("--out") { Description = description, HelpName = "DIR" };

    public static Option<bool> Quiet(string description = "no progress and no notes on stderr; only the results") =>
        new("--quiet") { Description = description };

    public static Option<bool> Json(string description = "print one JSON object on stdout (human text goes to stderr)") =>
        new("--json") { Description = description };

    /// <summary>An integer option in [min, max]; a bad value reads "--name 'value' …; expected an integer in min..max".</summary>
    public static Option<int> Int(string name, string description, int min, int max, int defaultValue, string? helpName = null)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = helpName ?? "N" };
        option.CustomParser = r => ParseInt(r, name, min, max) ?? defaultValue;
        return option;
    }

    /// <summary>An optional integer option in [min, max] (null when absent).</summary>
    public static Option<int?> OptionalInt(string name, string description, int min, int max, string? helpName = null)
    {
        var option = new Option<int?>(name) { Description = description, HelpName = helpName ?? "N" };
        option.CustomParser = r => ParseInt(r, name, min, max);
        return option;
    }

    /// <summary>A real option in [min, max] (exclusive bounds where asked); NaN and ±∞ are refused.</summary>
    public static Option<double> Double(string name, string description, double min, double max, double defaultValue,
        bool minExclusive = false, bool maxExclusive = false, string? helpName = null)
    {
        string range = $"{(minExclusive ? "(" : "[")}{Text(min)}, {Text(max)}{(maxExclusive ? ")" : "]")}";
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = helpName ?? "X" };
        option.CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
                && (minExclusive ? value > min : value >= min) && (maxExclusive ? value < max : value <= max))
                return value;
            r.AddError($"{name} '{text}' is out of range; expected a number in {range}");
            return defaultValue;
        };
        return option;
    }

    /// <summary>A choice among fixed words; a bad one reads "--name 'value' …; expected a, b or c".</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] allowed)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = string.Join('|', allowed) };
        option.Validators.Add(r =>
        {
            string? value = r.GetValueOrDefault<string>();
            if (!allowed.Contains(value)) r.AddError($"{name} '{value}' is not accepted; expected {Words(allowed)}");
        });
        return option;
    }

    /// <summary>True when the user wrote the option (not only its default).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    public static string Words(IReadOnlyList<string> words) =>
        words.Count == 1 ? words[0] : $"{string.Join(", ", words.Take(words.Count - 1))} or {words[^1]}";

    private static int? ParseInt(ArgumentResult r, string name, int min, int max)
    {
        string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max) return value;
        r.AddError($"{name} '{text}' is out of range; expected an integer in {min}..{max}");
        return null;
    }

    private static string Text(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
