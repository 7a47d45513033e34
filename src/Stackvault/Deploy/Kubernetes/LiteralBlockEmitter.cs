using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;

namespace Stackvault.Deploy.Kubernetes;

/// <summary>
/// Multi-line strings (the config, the dashboard, rule expressions) as literal blocks (<c>|</c>), read as written,
/// instead of folded ones; the emitter still falls back to a quoted scalar where a literal block cannot hold the text.
/// </summary>
internal sealed class LiteralBlockEmitter(IEventEmitter next) : ChainedEventEmitter(next)
{
    public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
    {
        ArgumentNullException.ThrowIfNull(eventInfo);
        if (eventInfo.Source.Value is string text && text.Contains('\n', StringComparison.Ordinal))
        {
            eventInfo.Style = ScalarStyle.Literal;
        }

        base.Emit(eventInfo, emitter);
    }
}
