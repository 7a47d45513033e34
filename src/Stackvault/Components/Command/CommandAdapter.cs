using System.Diagnostics;
using Stackvault.Backup;
using Stackvault.Configuration;

namespace Stackvault.Components.Command;

/// <summary>
/// <c>type: command</c>: the command's stdout stored as <c>/&lt;name&gt;/&lt;filename&gt;</c>, streamed (no temporary
/// file). The command starts when the backup reads it; a non-zero exit makes the stream fail at its end.
/// </summary>
public sealed class CommandAdapter : IComponentAdapter
{
    public string Type => CommandComponent.TypeName;

    public ValueTask<ComponentPlan> PrepareAsync(ComponentConfig component, string scratchDirectory, CancellationToken cancellationToken)
    {
        var command = (CommandComponent)component;
        var program = Path.GetFileName(command.Command.Arguments[0]);
        var source = BackupSource.FromStream(ComponentPlan.PathIn(component, command.Filename), _ => Start(command, scratchDirectory));

        // The command line may hold a secret: the section names only the program.
        var section = ComponentPlan.NewSection(component, "command-stdout", program);
        return ValueTask.FromResult(new ComponentPlan([source], section));
    }

    private static ValueTask<Stream> Start(CommandComponent command, string workingDirectory)
    {
        var arguments = command.Command.Arguments;
        var start = new ProcessStartInfo(arguments[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        var program = Path.GetFileName(arguments[0]);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new IOException($"{program} could not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"{program} could not start: {e.Message}", e);
        }

        process.StandardInput.Close();
        return ValueTask.FromResult<Stream>(new CommandOutputStream(process, program, command.Timeout));
    }
}
