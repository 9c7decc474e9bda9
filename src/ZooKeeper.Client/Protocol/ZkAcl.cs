namespace ContivKsr.ZooKeeper.Client.Protocol;

/// <summary>One access control entry: permissions for an identity (scheme + id).</summary>
public sealed record ZkAcl(int Perms, string Scheme, string Id)
{
    /// <summary>READ | WRITE | CREATE | DELETE | ADMIN (ZooDefs.Perms.ALL).</summary>
    public const int AllPerms = 0x1F;

    /// <summary>Anyone may do anything (ZooDefs.Ids.OPEN_ACL_UNSAFE).</summary>
    public static IReadOnlyList<ZkAcl> OpenUnsafe { get; } = [new(AllPerms, "world", "anyone")];

    /// <summary>Only the identities this session authenticated as (ZooDefs.Ids.CREATOR_ALL_ACL).</summary>
    public static IReadOnlyList<ZkAcl> CreatorAll { get; } = [new(AllPerms, "auth", "")];

    internal void Write(JuteWriter writer)
    {
        writer.WriteInt(Perms);
        writer.WriteString(Scheme);
        writer.WriteString(Id);
    }

    internal static ZkAcl Read(JuteReader reader) => new(reader.ReadInt(), reader.ReadString() ?? "", reader.ReadString() ?? "");
}
