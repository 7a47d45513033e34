using Stackvault.Tests.Support;

namespace Stackvault.Tests.Cli;

/// <summary>The password sources in order: --password-file, STACKVAULT_PASSWORD_FILE, STACKVAULT_PASSWORD_COMMAND, STACKVAULT_PASSWORD.</summary>
public class PasswordSourceTests
{
    [Fact]
    public async Task Open_EachPasswordSource_OpensTheRepository()
    {
        using var temp = new TempDirectory();
        var repository = temp.Sub("repo");
        await new CliRunner(repository, "s3cret").InitAsync();
        var file = temp.Sub("pw");
        await File.WriteAllTextAsync(file, "s3cret\n");

        await new CliRunner(repository, null).RunOkAsync("snapshots", "--password-file", file);
        var viaFileEnv = new CliRunner(repository, "wrong");
        viaFileEnv.Environment["STACKVAULT_PASSWORD_FILE"] = file;
        await viaFileEnv.RunOkAsync("snapshots");
        var viaCommand = new CliRunner(repository, "wrong");
        viaCommand.Environment["STACKVAULT_PASSWORD_COMMAND"] = "printf s3cret";
        await viaCommand.RunOkAsync("snapshots");
        await new CliRunner(repository, "s3cret").RunOkAsync("snapshots");
    }

    [Fact]
    public async Task Open_FailingPasswordCommand_Exits2WithoutEchoingIt()
    {
        using var temp = new TempDirectory();
        var repository = temp.Sub("repo");
        await new CliRunner(repository, "s3cret").InitAsync();
        var cli = new CliRunner(repository, null);
        cli.Environment["STACKVAULT_PASSWORD_COMMAND"] = "echo hunter2-token >/dev/null; exit 7";
        var result = await cli.ExpectAsync(2, "snapshots");
        Assert.Contains("exited with code 7", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_MissingPasswordFile_Exits2()
    {
        using var temp = new TempDirectory();
        var repository = temp.Sub("repo");
        await new CliRunner(repository, "s3cret").InitAsync();
        await new CliRunner(repository, null).ExpectAsync(2, "snapshots", "--password-file", temp.Sub("absent"));
    }

    /// <summary>
    /// A password file that is a pipe can be read once: the key derivation started early (KeyAhead) and the command
    /// must share that one read, or the command finds the pipe empty and reports a wrong password.
    /// </summary>
    [Fact]
    public async Task Open_PasswordFileIsAPipe_IsReadOnce_AndOpens()
    {
        using var temp = new TempDirectory();
        var repository = temp.Sub("repo");
        await new CliRunner(repository, "s3cret").InitAsync();
        using var process = new CliRunner(repository, null).Start("snapshots", "--password-file", "/dev/stdin");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync("s3cret\n");
        process.StandardInput.Close();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        await stdout;
    }
}
