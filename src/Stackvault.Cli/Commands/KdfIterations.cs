using System.CommandLine;
using Stackvault.Crypto;
using Stackvault.Errors;

namespace Stackvault.Cli.Commands;

/// <summary>
/// The hidden <c>--kdf-iterations</c> option of <c>init</c>, <c>key add</c> and <c>key passwd</c>, and its floor:
/// below <see cref="Minimum"/> PBKDF2-SHA256 iterations a stolen key file is cheap to brute-force, so a weaker key
/// is refused unless <see cref="TestEscapeVariable"/> is set to 1, which only test suites do (the tests'
/// CliRunner and tests/recover/run.sh create thousands of keys at 1000 iterations to stay fast). Readers still
/// accept keys down to <see cref="KeyFile.MinIterations"/> (docs/design.md 6.3), so such test repositories open.
/// </summary>
internal static class KdfIterations
{
    public const int Minimum = 100_000;

    public const string TestEscapeVariable = "STACKVAULT_TEST_ALLOW_WEAK_KDF";

    public static Option<int> Create(string description) =>
        new("--kdf-iterations") { Description = description, DefaultValueFactory = _ => KeyFileOptions.DefaultIterations, Hidden = true };

    /// <summary>The option's value once checked against the floor (exit 2 below it).</summary>
    public static int Get(ParseResult parse, Option<int> option)
    {
        var iterations = parse.GetValue(option);
        if (iterations < Minimum && Environment.GetEnvironmentVariable(TestEscapeVariable) != "1")
        {
            throw new UsageException($"--kdf-iterations {iterations} is below the minimum of {Minimum} (weaker keys are for test suites only: {TestEscapeVariable}=1)");
        }

        return iterations;
    }
}
