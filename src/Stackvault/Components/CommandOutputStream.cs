using System.Diagnostics;
using Stackvault.Platform;

namespace Stackvault.Components;

/// <summary>
/// A command's stdout as a read-only stream. At its end the command's exit code is checked: a non-zero exit throws
/// <c>IOException("&lt;program&gt; exited with code N: &lt;first stderr line&gt;")</c>, never the command line (it may
/// hold a secret). Disposing kills the command if it still runs; a timeout kills it and fails the stream.
/// </summary>
public sealed class CommandOutputStream : Export.ReadOnlyStream
{
    private readonly Process _process;
    private readonly string _program;
    private readonly Stream _stdout;
    private readonly Task<string> _firstStderrLine;
    private readonly CancellationTokenSource _timeout;
    private bool _checked;

    public CommandOutputStream(Process process, string program, TimeSpan? timeout)
    {
        _process = process;
        _program = program;
        _stdout = process.StandardOutput.BaseStream;
        _firstStderrLine = ChildProcess.FirstLineAsync(process.StandardError);
        _timeout = timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        _timeout.Token.Register(() => ChildProcess.Kill(process));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _stdout.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0 && !_checked)
        {
            _checked = true;
            await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (_timeout.IsCancellationRequested)
            {
                throw new IOException($"{_program} did not finish within its timeout and was stopped");
            }

            if (_process.ExitCode != 0)
            {
                var line = await _firstStderrLine.ConfigureAwait(false);
                throw new IOException($"{_program} exited with code {_process.ExitCode}" + (line.Length > 0 ? ": " + line : string.Empty));
            }
        }

        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ChildProcess.Kill(_process);
            _timeout.Dispose();
            _process.Dispose();
        }

        base.Dispose(disposing);
    }
}
