namespace ContivKsr.Kv.Cli.Tests;

/// <summary>A backend kvctl runs against: a server started once per collection, and a store on it.</summary>
public interface IKvctlBackendFixture
{
    /// <summary>A store on the server, to set up and check what kvctl did.</summary>
    IKvStore Store { get; }

    /// <summary>kvctl's arguments to reach this server, followed by <paramref name="args"/>.</summary>
    string[] Args(params string[] args);
}
