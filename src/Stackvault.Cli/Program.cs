using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.InteropServices;
using Stackvault.Cli;
using Stackvault.Cli.Commands;
using Stackvault.Cli.Output;
using Stackvault.Errors;

namespace Stackvault.Cli
{
    /// <summary>The command layer: parses, dispatches to the engine, maps errors to exit codes. No engine logic here.</summary>
    internal static partial class Program
    {
        /// <summary>The program's name in usage and help text, whatever the assembly or launcher is called.</summary>
        public const string Name = "stackvault";

        /// <summary>
        /// The root is a plain Command named <see cref="Name"/>, with RootCommand's help and version options: RootCommand
        /// takes its (read-only) name from the process's first argument, which is "Stackvault.Cli" under `dotnet Stackvault.Cli.dll`.
        /// </summary>
        public static Command BuildRoot()
        {
            var root = new Command(Name, "Stackvault: backup, verification and recovery for observability stacks.\n" + ErrorMapper.ExitCodeHelp)
            {
                new HelpOption(),
                new VersionOption(),
            };
            foreach (var option in GlobalOptions.All)
            {
                root.Options.Add(option);
            }

            root.Subcommands.Add(InitCommand.Create());
            root.Subcommands.Add(BackupCommand.Create());
            root.Subcommands.Add(SnapshotsCommand.Create());
            root.Subcommands.Add(ShowCommand.Create());
            root.Subcommands.Add(RestoreCommand.Create());
            root.Subcommands.Add(PgRestoreCommand.Create());
            root.Subcommands.Add(AmRestoreCommand.Create());
            root.Subcommands.Add(DrillCommand.Create());
            root.Subcommands.Add(VerifyCommand.Create());
            root.Subcommands.Add(ForgetCommand.Create());
            root.Subcommands.Add(PruneCommand.Create());
            root.Subcommands.Add(RepairCommand.Create());
            root.Subcommands.Add(UnlockCommand.Create());
            root.Subcommands.Add(KeyCommand.Create());
            root.Subcommands.Add(DiffCommand.Create());
            root.Subcommands.Add(ExportCommand.Create());
            root.Subcommands.Add(ConfigCommand.Create());
            root.Subcommands.Add(NotifyCommand.Create());
            root.Subcommands.Add(CopyCommand.Create());
            root.Subcommands.Add(K8sCommand.Create());
            root.Subcommands.Add(RunCommand.Create());
            root.Subcommands.Add(StatusCommand.Create());
            root.Subcommands.Add(BucketCommand.Create());
            return root;
        }

        public static CliOutput Output(ParseResult parse) => new(parse.GetValue(GlobalOptions.Json), parse.GetValue(GlobalOptions.Quiet));

        public static async Task<int> Main(string[] args)
        {
            KeyAhead.Start(args);
            var parse = BuildRoot().Parse(args);
            var output = Output(parse);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                {
                    output.Error(error.Message);
                }

                output.Error("see 'stackvault --help'");
                return (int)ExitCode.Usage;
            }

            using var youngGeneration = new Stackvault.Buffers.YoungGenerationBound(TimeProvider.System);
            using var cancel = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; cancel.Cancel(); });
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cancel.Cancel(); });
            try
            {
                var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
                return await parse.InvokeAsync(config, cancel.Token);
            }
            catch (Exception e)
            {
                var (code, message) = ErrorMapper.Map(e is OperationCanceledException && !cancel.IsCancellationRequested ? new StackvaultException(e.Message) : e);
                output.Error(message);
                if (Environment.GetEnvironmentVariable("STACKVAULT_DEBUG") == "1" || parse.GetValue(GlobalOptions.Debug))
                {
                    Console.Error.WriteLine(e);
                }

                return (int)code;
            }
        }
    }
}
