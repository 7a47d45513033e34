using System.Text;
using Stackvault.Platform;

namespace Stackvault.Tests.Support;

/// <summary>Makes deterministic, awkward source trees: small, large, empty, sparse files, links, odd names, deep paths.</summary>
public sealed class TreeGenerator(int seed)
{
    private readonly Random _random = new(seed);

    public static readonly string[] OddNames = ["space name.txt", "ünïcödé-файл.txt", "emoji-😀.log", "quote'\"s", "-leading-dash", "tab\tname", "new\nline", "#hash%percent", "long-" + new string('x', 200)];

    /// <summary>Random bytes with some repetition so that compression has something to do.</summary>
    public byte[] Bytes(int length, bool compressible = true)
    {
        var data = new byte[length];
        _random.NextBytes(data);
        if (compressible)
        {
            var text = Encoding.ASCII.GetBytes("ts=2026-11-21T05:00:00Z level=info msg=\"scrape ok\" target=node-exporter:9100 ");
            for (var i = 0; i + text.Length < length; i += text.Length * 2)
            {
                text.CopyTo(data, i);
            }
        }

        return data;
    }

    public void File(string path, int length, bool compressible = true)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, Bytes(length, compressible));
    }

    /// <summary>The full awkward tree of the round-trip tests.</summary>
    public void Awkward(string root)
    {
        Directory.CreateDirectory(root);
        for (var i = 0; i < 200; i++)
        {
            File(Path.Combine(root, "small", $"d{i % 7}", $"f{i}.txt"), _random.Next(0, 5000));
        }

        File(Path.Combine(root, "large", "big.bin"), 12 * 1024 * 1024 + 12345, compressible: false);
        File(Path.Combine(root, "large", "logs.txt"), 3 * 1024 * 1024);
        System.IO.File.WriteAllBytes(Path.Combine(root, "empty.txt"), []);
        Directory.CreateDirectory(Path.Combine(root, "empty-dir", "nested-empty"));
        foreach (var name in OddNames)
        {
            File(Path.Combine(root, "odd", name), 100);
        }

        var deep = root;
        for (var i = 0; i < 40; i++)
        {
            deep = Path.Combine(deep, $"level{i:00}");
        }

        File(Path.Combine(deep, "deep.txt"), 10);
        Directory.CreateDirectory(Path.Combine(root, "links"));
        System.IO.File.CreateSymbolicLink(Path.Combine(root, "links", "relative"), "../large/logs.txt");
        System.IO.File.CreateSymbolicLink(Path.Combine(root, "links", "absolute"), "/etc/hostname");
        System.IO.File.CreateSymbolicLink(Path.Combine(root, "links", "dangling"), "does/not/exist");
        System.IO.File.CreateSymbolicLink(Path.Combine(root, "links", "dir-link"), "../small");
        File(Path.Combine(root, "hard", "a"), 7000);
        Posix.Link(Path.Combine(root, "hard", "a"), Path.Combine(root, "hard", "b"));
        Posix.Link(Path.Combine(root, "hard", "a"), Path.Combine(root, "hard", "c"));
        Posix.MkFifo(Path.Combine(root, "fifo"), 0x1B6);
        Posix.Chmod(Path.Combine(root, "fifo"), 0x1B6); // 0666: wider than the umask allows at mkfifo
        using (var sparse = new FileStream(Path.Combine(root, "sparse.img"), FileMode.CreateNew))
        {
            sparse.SetLength(64L * 1024 * 1024);
            sparse.Position = 32L * 1024 * 1024;
            sparse.Write(Bytes(4096));
        }

        var modes = Path.Combine(root, "modes");
        File(Path.Combine(modes, "private"), 10);
        System.IO.File.SetUnixFileMode(Path.Combine(modes, "private"), (UnixFileMode)0x180);
        File(Path.Combine(modes, "script.sh"), 10);
        System.IO.File.SetUnixFileMode(Path.Combine(modes, "script.sh"), (UnixFileMode)0x1ED);
        File(Path.Combine(modes, "readonly"), 10);
        System.IO.File.SetUnixFileMode(Path.Combine(modes, "readonly"), (UnixFileMode)0x124);
        Directory.CreateDirectory(Path.Combine(modes, "sticky"));
        System.IO.File.SetUnixFileMode(Path.Combine(modes, "sticky"), (UnixFileMode)0x3FF);
        Posix.SetTimes(Path.Combine(modes, "private"), 1_234_567_890_123_456_789, followSymlinks: false);
        Posix.SetTimes(Path.Combine(root, "links", "relative"), 1_600_000_000_987_654_321, followSymlinks: false);
    }
}
