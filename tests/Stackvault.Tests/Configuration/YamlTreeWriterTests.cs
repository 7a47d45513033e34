using Stackvault.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;

namespace Stackvault.Tests.Configuration;

/// <summary>
/// <see cref="YamlTreeWriter"/> (no reflection, NativeAOT-safe) writes byte for byte what YamlDotNet's reflection
/// serializer wrote for <c>config show</c>, Kubernetes objects and generated manifests: that serializer, configured as
/// each of them had it, is the oracle here, over strings that need quoting, numbers, nesting and shared nodes.
/// </summary>
public sealed class YamlTreeWriterTests
{
    private static readonly (YamlTreeStyle Style, ISerializer Oracle)[] Styles =
    [
        (YamlTreeWriter.Config, new SerializerBuilder().Build()),
        (YamlTreeWriter.Kubernetes, new SerializerBuilder().WithQuotingNecessaryStrings().DisableAliases().Build()),
        (YamlTreeWriter.Manifest, new SerializerBuilder().WithQuotingNecessaryStrings().DisableAliases()
            .WithDefaultScalarStyle(ScalarStyle.Any).WithEventEmitter(next => new LiteralBlockEmitter(next)).Build()),
    ];

    /// <summary>Strings that read as other types, need quotes, break lines or are not ASCII.</summary>
    private static readonly string[] Strings =
    [
        "", " ", "  lead", "trail ", "true", "True", "TRUE", "false", "False", "yes", "no", "on", "off", "y", "n", "null", "Null", "NULL", "~",
        "123", "-5", "+7", "0x1F", "0o17", "0b101", "1.5", ".5", "5.", "1e3", "1E+3", "-1.5e-3", ".inf", "-.inf", "+.inf", ".nan", ".NaN", "007", "1_000",
        "12:30", "a: b", "a:b", "a:", ":a", "- item", "-", "--", "---", "...", "? q", "?", "#comment", "a #b", "x#y", "'single'", "\"double\"", "it's",
        "multi\nline", "multi\nline\n", "trailing\n\n", "\nleading", "  indented\nsecond", "tab\there", "\ttab-first", "line1\r\nline2", "cr\ronly",
        "true\n", "123\n", "unicode é ü 日本 🎉", "<script>&amp;'\"", "back\\slash", "@at", "`tick", "%pct", "!bang", "&anchor", "*alias", "|pipe", ">gt",
        "{brace}", "[bracket]", "comma, here", "k: v\nk2: v2", "\u0001ctrl", "\u007fdel", "\u0085nel", "\u00a0nbsp", "\u2028ls", "\ufeffbom", "a\u0000b",
        new string('x', 200), string.Join(" ", Enumerable.Repeat("word", 60)), "  \n  ", "2024-01-01", "2024-01-01T00:00:00Z", "0", "-0", "NaN",
        "/path/to/x", "http://h:9090/x?y=z&a=b#frag", "1e400", "line with trailing space \nnext", "key: value # c", "{{job}}", "*** (inline)", "50%",
    ];

    private static readonly object?[] Numbers =
    [
        0, -1, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue, 0.1, 1e20, 1e21, 1e-7, -0.0, 1.0 / 3, 100.0, 1.5, 2.5f, 0.1f, 1.10m, (byte)7,
        (short)-3, 42u, ulong.MaxValue, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.Epsilon, true, false, null, 'c',
    ];

    [Fact]
    public void EachString_AsValueKeyAndItem_IsWrittenAsTheReflectionSerializerWroteIt()
    {
        var different = new List<string>();
        foreach (var text in Strings)
        {
            var tree = new Dictionary<string, object?> { ["v"] = text, ["l"] = new List<object?> { text, "x" }, [text + "!"] = 1, [text] = "k" };
            different.AddRange(Differences(tree).Select(d => $"{Escape(text)}: {d}"));
        }

        Assert.Empty(different);
    }

    [Fact]
    public void Numbers_Booleans_Null_AsValuesAndItems_AreWrittenAsTheReflectionSerializerWroteThem()
    {
        var different = new List<string>();
        foreach (var value in Numbers)
        {
            var tree = new Dictionary<string, object?> { ["v"] = value, ["l"] = new List<object?> { value } };
            different.AddRange(Differences(tree).Select(d => $"{value}: {d}"));
        }

        Assert.Empty(different);
    }

    [Fact]
    public void RichTree_IsWrittenAsTheReflectionSerializerWroteIt()
    {
        var tree = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new Dictionary<string, object?> { ["name"] = "rich", ["labels"] = new Dictionary<string, object?> { ["a"] = "b", ["n"] = "3" } },
            ["strings"] = Strings.Select(s => (object?)s).ToList(),
            ["array"] = Strings.ToArray(),
            ["readonly"] = (IReadOnlyList<string>)[.. Strings.Take(7)],
            ["numbers"] = Numbers.ToList(),
            ["empty_map"] = new Dictionary<string, object?>(),
            ["empty_list"] = new List<object?>(),
            ["empty_array"] = Array.Empty<string>(),
            ["nested"] = new List<object?>
            {
                new Dictionary<string, object?> { ["name"] = "c", ["args"] = new List<object?> { "sh", "-c", "echo \"$1\"\nexit 1" }, ["n"] = 3 },
                new List<object?> { new List<object?> { "deep", 1 }, new Dictionary<string, object?>(), new List<object?>() },
                null,
                new Dictionary<string, object?> { ["multi"] = "a\nb\n", ["x"] = new Dictionary<string, object?> { ["y"] = new Dictionary<string, object?> { ["z"] = "true" } } },
            },
            ["data"] = new Dictionary<string, object?>
            {
                ["stackvault.yaml"] = "repositories:\n  local: { url: /srv }\n# comment\n\n",
                ["script.sh"] = "#!/bin/sh\nset -e\n  indented\n\ttabbed\n",
                ["trailing-spaces"] = "a  \nb \n",
                ["no-final-newline"] = "a\nb",
                ["only-newline"] = "\n",
                ["leading-space"] = " a\nb\n",
                ["crlf"] = "a\r\nb\r\n",
                ["many-trailing"] = "a\n\n\n",
            },
        };
        Assert.Empty(Differences(tree));
    }

    [Fact]
    public void SharedMapsAndLists_AreAliasesInConfigShow_AndRepeatedElsewhere_AsTheReflectionSerializerWroteThem()
    {
        var list = new List<object?> { "a", "true" };
        var map = new Dictionary<string, object?> { ["k"] = list, ["m"] = "1" };
        var tree = new Dictionary<string, object?>
        {
            ["first"] = map,
            ["second"] = map,
            ["lists"] = new List<object?> { list, list, new List<object?> { list } },
            ["again"] = new Dictionary<string, object?> { ["map"] = map, ["empty"] = Array.Empty<string>(), ["empty2"] = Array.Empty<string>() },
        };

        Assert.Empty(Differences(tree));
        Assert.Contains("&o0", YamlTreeWriter.Serialize(tree, YamlTreeWriter.Config), StringComparison.Ordinal);
        Assert.DoesNotContain("&o", YamlTreeWriter.Serialize(tree, YamlTreeWriter.Manifest), StringComparison.Ordinal);
    }

    [Fact]
    public void TooDeep_IsRefused_AtTheReflectionSerializersLimit()
    {
        foreach (var levels in new[] { 48, 49, 50 })
        {
            object? tree = "leaf";
            for (var i = 0; i < levels; i++)
            {
                tree = new List<object?> { tree };
            }

            foreach (var (style, oracle) in Styles)
            {
                var expected = Outcome(() => oracle.Serialize(tree));
                var actual = Outcome(() => YamlTreeWriter.Serialize(tree, style));
                Assert.Equal(expected.Split(':')[0], actual.Split(':')[0]);
                if (!expected.StartsWith("throws", StringComparison.Ordinal))
                {
                    Assert.Equal(expected, actual);
                }
            }
        }
    }

    [Fact]
    public void Golden_QuotedWhereNeeded_LiteralBlocksInManifests()
    {
        var tree = new Dictionary<string, object?>
        {
            ["bool"] = "true",
            ["number"] = "123",
            ["empty"] = string.Empty,
            ["null"] = "null",
            ["colon"] = "a: b",
            ["lines"] = "one\ntwo\n",
            ["unicode"] = "日本 🎉",
            ["real"] = 1.5,
            ["n"] = null,
            ["list"] = new List<object?> { "on", 7, false },
        };

        // As the reflection serializer wrote them: config show (no quoting, folded multi-line), Kubernetes objects
        // (strings that read as another type double-quoted, keys too), manifests (and multi-line strings literal).
        string[] expected =
        [
            "bool: true\nnumber: 123\nempty: ''\nnull: null\ncolon: 'a: b'\nlines: >\n  one\n\n  two\nunicode: \"日本 \\U0001F389\"\nreal: 1.5\nn: \nlist:\n- on\n- 7\n- false\n",
            "bool: \"true\"\nnumber: \"123\"\nempty: \"\"\n\"null\": \"null\"\ncolon: 'a: b'\nlines: >\n  one\n\n  two\nunicode: \"日本 \\U0001F389\"\nreal: 1.5\nn: \nlist:\n- on\n- 7\n- false\n",
            "bool: \"true\"\nnumber: \"123\"\nempty: \"\"\n\"null\": \"null\"\ncolon: 'a: b'\nlines: |\n  one\n  two\nunicode: \"日本 \\U0001F389\"\nreal: 1.5\nn: \nlist:\n- on\n- 7\n- false\n",
        ];
        for (var i = 0; i < Styles.Length; i++)
        {
            Assert.Equal(expected[i], Styles[i].Oracle.Serialize(tree));
            Assert.Equal(expected[i], YamlTreeWriter.Serialize(tree, Styles[i].Style));
        }
    }

    [Fact]
    public void OtherValueTypes_AreRefused()
    {
        Assert.Throws<NotSupportedException>(() => YamlTreeWriter.Serialize(new Dictionary<string, object?> { ["at"] = DateTimeOffset.UnixEpoch }, YamlTreeWriter.Manifest));
        Assert.Throws<NotSupportedException>(() => YamlTreeWriter.Serialize(new List<object?> { DayOfWeek.Monday }, YamlTreeWriter.Config));
    }

    private static IEnumerable<string> Differences(object tree)
    {
        foreach (var (style, oracle) in Styles)
        {
            var expected = Outcome(() => oracle.Serialize(tree));
            var actual = Outcome(() => YamlTreeWriter.Serialize(tree, style));
            if (expected != actual)
            {
                yield return $"{style}: expected {Escape(expected)}, got {Escape(actual)}";
            }
        }
    }

    private static string Outcome(Func<string> write)
    {
        try
        {
            return write();
        }
        catch (YamlException e)
        {
            return "throws " + e.GetType().Name + ": " + e.Message;
        }
    }

    private static string Escape(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    /// <summary>The event emitter the manifests' reflection serializer had: multi-line strings as literal blocks.</summary>
    private sealed class LiteralBlockEmitter(IEventEmitter next) : ChainedEventEmitter(next)
    {
        public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
        {
            if (eventInfo.Source.Value is string text && text.Contains('\n', StringComparison.Ordinal))
            {
                eventInfo.Style = ScalarStyle.Literal;
            }

            base.Emit(eventInfo, emitter);
        }
    }
}
