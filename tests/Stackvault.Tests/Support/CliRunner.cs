using System.Diagnostics;

namespace Stackvault.Tests.Support;

/// <summary>
/// Runs the real CLI (Stackvault.Cli.dll, built beside the tests) as a separate process against one repository,
/// so exit codes, signals and kill -9 behave exactly as for an operator.
/// </summary>
public sealed class CliRunner(string repository, string? password = "test-password")
{
    /// <summary>Fast test keys: below the CLI's floor of 100000, accepted only with <see cref="WeakKdfVariable"/>=1, which every runner sets.</summary>
    public const string TestKdfIterations = "1000";

    /// <summary>The documented escape that lets test suites create weak keys (Stackvault.Cli KdfIterations).</summary>
    public const string WeakKdfVariable = "STACKVAULT_TEST_ALLOW_WEAK_KDF";

    /// <summary>The managed CLI built beside the tests (run by the dotnet host, its code compiled by the JIT).</summary>
    public static string ManagedDllPath { get; } = Path.Combine(AppContext.BaseDirectory, "Stackvault.Cli.dll");

    /// <summary>
    /// The CLI every test launches: the one STACKVAULT_TEST_CLI names (scripts/test.sh names the NativeAOT build in
    /// .build/cli-aot, the build the benchmarks measure), else the managed build beside the tests.
    /// </summary>
    public static string DllPath { get; } = System.Environment.GetEnvironmentVariable("STACKVAULT_TEST_CLI") is { Length: > 0 } cli
        ? Path.GetFullPath(cli)
        : ManagedDllPath;

    /// <summary>
    /// Runs <see cref="ManagedDllPath"/> whatever STACKVAULT_TEST_CLI names: for tests of what only the JIT does (the
    /// DOTNET_Enable* switches of vector paths, its listing of compiled methods).
    /// </summary>
    public bool UseManagedBuild { get; init; }

    /// <summary>A CLI other than <see cref="DllPath"/> (a .dll runs through the dotnet host): a copy of the build, changed.</summary>
    public string? CliPath { get; init; }

    /// <summary>
    /// True when <see cref="DllPath"/> is a native executable (a NativeAOT build, or a self-contained build's own
    /// launcher) that runs by itself; a .dll runs through the dotnet host.
    /// </summary>
    public static bool IsNative { get; } = RunsAlone(DllPath);

    /// <summary>The CLI as a shell command (its path quoted): "dotnet '/…/Stackvault.Cli.dll'" or the native executable.</summary>
    public static string ShellCommand { get; } = (IsNative ? "" : "dotnet ") + "'" + DllPath.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public string Repository { get; } = repository;

    private static bool RunsAlone(string cli) => !cli.EndsWith(".dll", StringComparison.Ordinal);

    public Dictionary<string, string?> Environment { get; } = [];

    /// <summary>The status.json directory (STACKVAULT_STATE_DIR) of this runner: never the machine's /var/lib/stackvault.</summary>
    public string StateDirectory { get; } = Path.Combine(Path.GetTempPath(), "sv-test-state-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>When set and running as root, the CLI runs as this uid/gid (through setpriv), so permissions bite.</summary>
    public int? RunAsUid { get; init; }

    public ProcessStartInfo StartInfo(params string[] args)
    {
        var path = CliPath ?? (UseManagedBuild ? ManagedDllPath : DllPath);
        var native = CliPath is not null ? RunsAlone(CliPath) : !UseManagedBuild && IsNative;
        var start = new ProcessStartInfo(RunAsUid is not null ? "setpriv" : native ? path : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (RunAsUid is { } uid)
        {
            start.ArgumentList.Add($"--reuid={uid}");
            start.ArgumentList.Add($"--regid={uid}");
            start.ArgumentList.Add("--clear-groups");
            start.Environment["DOTNET_CLI_HOME"] = "/tmp";
            start.Environment["HOME"] = "/tmp";
        }

        // setpriv [dotnet] CLI ...; dotnet CLI ...; or the native CLI itself.
        if (RunAsUid is not null && !native)
        {
            start.ArgumentList.Add("dotnet");
        }

        if (RunAsUid is not null || !native)
        {
            start.ArgumentList.Add(path);
        }
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["STACKVAULT_REPOSITORY"] = Repository;
        start.Environment["STACKVAULT_STATE_DIR"] = StateDirectory;
        start.Environment[WeakKdfVariable] = "1";
        start.Environment.Remove("STACKVAULT_PASSWORD_FILE");
        start.Environment.Remove("STACKVAULT_PASSWORD_COMMAND");
        if (password is null)
        {
            start.Environment.Remove("STACKVAULT_PASSWORD");
        }
        else
        {
            start.Environment["STACKVAULT_PASSWORD"] = password;
        }

        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    public Process Start(params string[] args) => Process.Start(StartInfo(args))!;

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var process = Start(args);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and asserts the exit code, showing the output when it differs.</summary>
    public async Task<CliResult> RunOkAsync(params string[] args) => await ExpectAsync(0, args);

    public async Task<CliResult> ExpectAsync(int exitCode, params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == exitCode, $"stackvault {string.Join(' ', args)}: expected exit {exitCode}, got {result}");
        return result;
    }

    public Task<CliResult> InitAsync(params string[] extra) =>
        RunOkAsync(["init", "--kdf-iterations", TestKdfIterations, .. extra]);
}
