namespace RestoreDrills.Platforms.Cnpg;

/// <summary>How the drill reaches the restored database: a port-forward to the primary pod, or the -rw service from inside the cluster.</summary>
public enum CnpgConnectVia { PortForward, Service }
