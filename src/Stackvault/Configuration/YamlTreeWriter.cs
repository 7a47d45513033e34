using System.Collections;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.Schemas;

namespace Stackvault.Configuration;

/// <summary>How <see cref="YamlTreeWriter"/> writes a tree: the settings of the reflection serializer it replaces.</summary>
/// <param name="QuoteNecessaryStrings">
/// <c>WithQuotingNecessaryStrings()</c>: a string that would read as another type (null, a bool, a number, empty or
/// starting with whitespace) is double-quoted.
/// </param>
/// <param name="LiteralMultiline">A string holding a line break is asked for as a literal block (<c>|</c>).</param>
/// <param name="Aliases">
/// The serializer's default (no <c>DisableAliases()</c>): a map or list met a second time is written as an alias of
/// its first occurrence (<c>&amp;o0</c> ... <c>*o0</c>).
/// </param>
internal sealed record YamlTreeStyle(bool QuoteNecessaryStrings, bool LiteralMultiline, bool Aliases);

/// <summary>
/// Writes a plain tree (dictionaries, lists, strings, numbers, booleans, null) as YAML without reflection (NativeAOT
/// and trimming safe). It emits, through YamlDotNet's <see cref="Emitter"/>, exactly the events YamlDotNet's
/// reflection <c>Serializer</c> emitted for such a tree (its FullObjectGraphTraversalStrategy, AnchorAssigner and
/// TypeAssigningEventEmitter, with the tags, styles and number formats they chose), so the text is byte for byte
/// what <c>new SerializerBuilder()...Build().Serialize(tree)</c> wrote. Any other value type is refused.
/// </summary>
internal static partial class YamlTreeWriter
{
    /// <summary>The serializer's default depth limit (it threw past it rather than overflow the stack).</summary>
    private const int MaximumRecursion = 50;

    public static readonly YamlTreeStyle Config = new(QuoteNecessaryStrings: false, LiteralMultiline: false, Aliases: true);

    public static readonly YamlTreeStyle Kubernetes = new(QuoteNecessaryStrings: true, LiteralMultiline: false, Aliases: false);

    public static readonly YamlTreeStyle Manifest = new(QuoteNecessaryStrings: true, LiteralMultiline: true, Aliases: false);

    public static string Serialize(object? tree, YamlTreeStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        using var buffer = new StringWriter();
        var anchors = style.Aliases ? AssignAnchors(tree) : null;
        var writer = new Writer(new Emitter(buffer, EmitterSettings.Default), style, anchors);
        writer.Emitter.Emit(new StreamStart());
        writer.Emitter.Emit(new DocumentStart());
        writer.Node(tree, 0);
        writer.Emitter.Emit(new DocumentEnd(true));
        writer.Emitter.Emit(new StreamEnd());
        return buffer.ToString();
    }

    /// <summary>
    /// The serializer's first pass (AnchorAssigner): every map and list is recorded when first met; one met again gets
    /// the next anchor name (o0, o1, ...) and is not walked again.
    /// </summary>
    private static Dictionary<object, Anchor> AssignAnchors(object? tree)
    {
        var assignments = new Dictionary<object, Anchor>();
        var next = 0u;
        Walk(tree, 0);
        return assignments;

        void Walk(object? value, int depth)
        {
            Depth(depth);
            if (value is null)
            {
                return;
            }

            if (assignments.TryGetValue(value, out var seen))
            {
                if (seen.Name.IsEmpty)
                {
                    seen.Name = new AnchorName("o" + next.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    next++;
                }

                return;
            }

            switch (Classify(value))
            {
                case Shape.Mapping:
                    assignments.Add(value, new Anchor());
                    foreach (DictionaryEntry entry in (IDictionary)value)
                    {
                        Walk(entry.Key, depth + 1);
                        Walk(entry.Value, depth + 1);
                    }

                    break;
                case Shape.Sequence:
                    assignments.Add(value, new Anchor());
                    foreach (var item in (IEnumerable)value)
                    {
                        Walk(item, depth + 1);
                    }

                    break;
            }
        }
    }

    private static void Depth(int depth)
    {
        if (depth >= MaximumRecursion)
        {
            throw new MaximumRecursionLevelReachedException($"Too much recursion when traversing the object graph: more than {MaximumRecursion} levels.");
        }
    }

    private enum Shape
    {
        Scalar,
        Mapping,
        Sequence,
    }

    /// <summary>The serializer's order: the scalar type codes, then IDictionary, then IEnumerable.</summary>
    private static Shape Classify(object value) => value switch
    {
        string or char or bool or byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal => Shape.Scalar,
        Enum => throw Unsupported(value),
        IDictionary => Shape.Mapping,
        IEnumerable => Shape.Sequence,
        _ => throw Unsupported(value),
    };

    private static NotSupportedException Unsupported(object value) =>
        new($"{value.GetType()} cannot be written as YAML here: a tree holds only dictionaries, lists, strings, numbers, booleans and null");

    /// <summary>TypeAssigningEventEmitter's strings that would read as another type (YAML 1.2 core schema), and blank ones.</summary>
    private static bool IsSpecial(string value) => value.Trim().Length == 0 || SpecialString().IsMatch(value);

    [GeneratedRegex(@"^(null|Null|NULL|\~|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?(\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN|\s.*)$")]
    private static partial Regex SpecialString();

    private sealed class Anchor
    {
        public AnchorName Name;
    }

    private sealed class Writer(IEmitter emitter, YamlTreeStyle style, Dictionary<object, Anchor>? anchors)
    {
        private readonly HashSet<AnchorName> _emittedAliases = [];

        public IEmitter Emitter => emitter;

        public void Node(object? value, int depth)
        {
            Depth(depth);
            if (value is null)
            {
                emitter.Emit(new Scalar(AnchorName.Empty, JsonSchema.Tags.Null, string.Empty, ScalarStyle.Plain, true, false));
                return;
            }

            var anchor = AnchorName.Empty;
            if (anchors is not null && anchors.TryGetValue(value, out var assigned))
            {
                anchor = assigned.Name;
                if (!anchor.IsEmpty && !_emittedAliases.Add(anchor))
                {
                    emitter.Emit(new AnchorAlias(anchor));
                    return;
                }
            }

            switch (Classify(value))
            {
                case Shape.Mapping:
                    emitter.Emit(new MappingStart(anchor, TagName.Empty, false, MappingStyle.Any));
                    foreach (DictionaryEntry entry in (IDictionary)value)
                    {
                        Node(entry.Key, depth + 1);
                        Node(entry.Value, depth + 1);
                    }

                    emitter.Emit(new MappingEnd());
                    break;
                case Shape.Sequence:
                    emitter.Emit(new SequenceStart(anchor, TagName.Empty, false, SequenceStyle.Any));
                    foreach (var item in (IEnumerable)value)
                    {
                        Node(item, depth + 1);
                    }

                    emitter.Emit(new SequenceEnd());
                    break;
                default:
                    Scalar(value);
                    break;
            }
        }

        private void Scalar(object value)
        {
            var (tag, rendered, scalarStyle) = value switch
            {
                bool b => (JsonSchema.Tags.Bool, YamlFormatter.Default.FormatBoolean(b), ScalarStyle.Plain),
                float f => (JsonSchema.Tags.Float, YamlFormatter.Default.FormatNumber(f), ScalarStyle.Plain),
                double d => (JsonSchema.Tags.Float, YamlFormatter.Default.FormatNumber(d), ScalarStyle.Plain),
                decimal => (JsonSchema.Tags.Float, YamlFormatter.Default.FormatNumber(value), ScalarStyle.Plain),
                string s => (FailsafeSchema.Tags.Str, s, StringStyle(s, s.Contains('\n', StringComparison.Ordinal))),
                char c => (FailsafeSchema.Tags.Str, c.ToString(), StringStyle(c.ToString(), false)),
                _ => (JsonSchema.Tags.Int, YamlFormatter.Default.FormatNumber(value), ScalarStyle.Plain),
            };
            emitter.Emit(new Scalar(AnchorName.Empty, tag, rendered, scalarStyle, true, false));
        }

        /// <summary>
        /// The manifests asked for a literal block for every multi-line string first (their former LiteralBlockEmitter); otherwise
        /// TypeAssigningEventEmitter's choice: double quotes for a string that needs them, else the emitter's choice.
        /// </summary>
        private ScalarStyle StringStyle(string text, bool multiline) =>
            style.LiteralMultiline && multiline ? ScalarStyle.Literal
            : style.QuoteNecessaryStrings && IsSpecial(text) ? ScalarStyle.DoubleQuoted
            : ScalarStyle.Any;
    }
}
