using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Stackvault.Configuration;

/// <summary>A parsed YAML node that keeps its 1-based line and column.</summary>
internal abstract record YNode(int Line, int Column);

/// <summary>A scalar; plain scalars can be null (<c>~</c>, <c>null</c>, empty).</summary>
internal sealed record YScalar(string Value, bool Plain, int Line, int Column) : YNode(Line, Column)
{
    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";
}

internal sealed record YSequence(IReadOnlyList<YNode> Items, int Line, int Column) : YNode(Line, Column);

/// <summary>A mapping as written: entries in order, duplicate keys kept so they can all be reported.</summary>
internal sealed record YMapping(IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries, int Line, int Column) : YNode(Line, Column)
{
    /// <summary>The first value of a key, or null.</summary>
    public YNode? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key).Value;
}

/// <summary>
/// Builds a <see cref="YNode"/> tree from YamlDotNet's parser events. Unlike YamlStream, which stops at the first
/// duplicate key, this keeps every entry so that all duplicates are reported at once, each with its line.
/// </summary>
internal static class YamlTree
{
    /// <summary>Aliases share nodes, but walkers may expand them: a cap stops "billion laughs" files.</summary>
    private const int MaxAliases = 1000;

    /// <summary>Deeper nesting is refused before the recursive walk could exhaust the stack.</summary>
    private const int MaxDepth = 64;

    /// <summary>
    /// Parses one YAML document. Every failure is a <see cref="YamlException"/> with a position: YamlDotNet's own, and
    /// also the other exceptions its parser throws on some malformed input (an InvalidOperationException for a
    /// directive inside a flow mapping), placed after the last event that parsed.
    /// </summary>
    public static YNode? Parse(string text)
    {
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        try
        {
            return Parse(parser);
        }
        catch (YamlException e) when (e.Start.Index == 0 && e.End.Index == 0 && parser.LastEnd.Index > 0)
        {
            // Thrown without a position (a tab in the indentation): the first tab-indented line after the last event.
            var at = e.Message.Contains("tab", StringComparison.Ordinal) ? TabIndentedLine(text, parser.LastEnd) : null;
            throw new YamlException(at ?? parser.LastEnd, at ?? parser.LastEnd, e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            throw new YamlException(parser.LastEnd, parser.LastEnd, "not valid YAML after this point");
        }
    }

    private static Mark? TabIndentedLine(string text, Mark after)
    {
        var lines = text.Split('\n');
        for (var i = (int)Math.Max(0, after.Line - 1); i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indent)
            {
                return new Mark(1, i + 1, tab + 1);
            }
        }

        return null;
    }

    private static YNode? Parse(IParser parser)
    {
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var aliases = 0;
        parser.Consume<StreamStart>();
        if (parser.Accept<StreamEnd>(out _))
        {
            return null;
        }

        parser.Consume<DocumentStart>();
        var root = Node(parser, anchors, ref aliases, 0);
        parser.Consume<DocumentEnd>();
        if (!parser.Accept<StreamEnd>(out _))
        {
            var next = parser.Current!;
            throw new YamlException(next.Start, next.End, "the file holds more than one YAML document");
        }

        return root;
    }

    private static YNode Node(IParser parser, Dictionary<string, YNode> anchors, ref int aliases, int depth)
    {
        if (depth > MaxDepth && parser.Current is { } deep)
        {
            throw new YamlException(deep.Start, deep.End, $"nested more than {MaxDepth} levels deep");
        }

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (++aliases > MaxAliases)
            {
                throw new YamlException(alias.Start, alias.End, $"more than {MaxAliases} aliases");
            }

            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? target
                : throw new YamlException(alias.Start, alias.End, $"unknown alias *{alias.Value.Value}");
        }

        YNode node;
        AnchorName anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor;
            node = new YScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, (int)scalar.Start.Line, (int)scalar.Start.Column);
        }
        else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            anchor = sequenceStart.Anchor;
            var items = new List<YNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(Node(parser, anchors, ref aliases, depth + 1));
            }

            node = new YSequence(items, (int)sequenceStart.Start.Line, (int)sequenceStart.Start.Column);
        }
        else
        {
            var mappingStart = parser.Consume<MappingStart>();
            anchor = mappingStart.Anchor;
            var entries = new List<KeyValuePair<YScalar, YNode>>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyStart = parser.Current!;
                if (Node(parser, anchors, ref aliases, depth + 1) is not YScalar key)
                {
                    throw new YamlException(keyStart.Start, keyStart.End, "a mapping key must be a plain string");
                }

                entries.Add(new(key, Node(parser, anchors, ref aliases, depth + 1)));
            }

            node = new YMapping(entries, (int)mappingStart.Start.Line, (int)mappingStart.Start.Column);
        }

        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }

    /// <summary>A parser that remembers where the last event it produced ended.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public Mark LastEnd { get; private set; } = new(0, 1, 1);

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } current)
            {
                LastEnd = current.End;
            }

            return moved;
        }
    }
}
