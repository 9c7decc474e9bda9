namespace ContivKsr.Kv;

public enum KvEventKind
{
    Put,
    /// <summary>The watched key was deleted; the watch ends after this event.</summary>
    Delete,
}

/// <summary>One change of a watched key. On <see cref="KvEventKind.Delete"/>, <see cref="Pair"/> has an empty value.</summary>
public sealed record KvWatchEvent(KvEventKind Kind, KvPair Pair);
