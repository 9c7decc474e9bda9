namespace ContivKsr.TestSupport.FakeKube;

/// <summary>A change in the store's history. <see cref="Previous"/> is the state before a MODIFIED,
/// so a watch with a selector can tell an object entering (ADDED) or leaving (DELETED) its view.</summary>
internal sealed record WatchEvent(string Type, StoredObject Object, StoredObject? Previous)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";

    public long ResourceVersion => Object.ResourceVersion;
}

/// <summary>One line of a watch stream: {"type":Type,"object":ObjectJson}.</summary>
internal readonly record struct WatchMessage(string Type, byte[] ObjectJson);
