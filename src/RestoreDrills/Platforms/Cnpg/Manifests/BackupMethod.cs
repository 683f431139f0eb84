namespace RestoreDrills.Platforms.Cnpg.Manifests;

/// <summary>How the drill reaches the source's object store: in-tree barmanObjectStore or the Barman Cloud Plugin.</summary>
public enum BackupMethod { BarmanObjectStore, Plugin }
