"""What a Ray run is asked to do, and how the embedding pool is sized for the cluster it got."""

from __future__ import annotations

from dataclasses import dataclass

from ..cluster import DEFAULT_CLUSTER_SETTINGS, ClusterSettings
from ..match import DEFAULT_SETTINGS, MatchSettings
from ..pipeline import BATCH_DOCUMENTS
from ..store.dataset import ann
from .inputs import CHUNK_BYTES

# Texts handed to one embedding call: large blocks, sorted by length inside, pad little.
EMBED_BLOCK = 1024
# Cores per CPU embedding actor: torch uses them as intra-op threads.
CPUS_PER_EMBED_ACTOR = 4


@dataclass(frozen=True)
class RayOptions:
    """The command line's Ray options."""

    address: str | None = None    # "auto" or HOST:PORT; None starts a local cluster
    cpus: int | None = None       # cores of a local cluster (default: all)
    gpus: int = 0                 # embedding actors with one GPU each; 0 embeds on CPUs
    ivf_from_claims: int = ann.IVF_FROM_CLAIMS
    chunk_bytes: int = CHUNK_BYTES


@dataclass(frozen=True)
class RunSettings:
    model: str
    encoder: str
    device: str | None
    cpus: int
    gpus: int
    batch_documents: int = BATCH_DOCUMENTS
    match_settings: MatchSettings = DEFAULT_SETTINGS
    cluster_settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS
    ivf_from_claims: int = ann.IVF_FROM_CLAIMS
    embed_block: int = EMBED_BLOCK
    # FAISS threads of a large search, as one machine would use them where `index` runs.
    search_threads: int = 1
    # The same-claim judge as the driver finds it ($PROVENANCE_JUDGE resolved: a model folder,
    # or "off"): every worker decides with it, whatever its own environment says.
    judge: str = "off"

    @property
    def embed_actors(self) -> int:
        if self.gpus:
            return self.gpus
        return max(1, int(self.cpus // self.embed_cpus))

    @property
    def embed_cpus(self) -> float:
        return 1.0 if self.gpus else float(max(1, min(CPUS_PER_EMBED_ACTOR, self.cpus)))

    @property
    def embed_threads(self) -> int:
        return max(1, min(CPUS_PER_EMBED_ACTOR, self.cpus))

    @property
    def embed_gpus(self) -> float:
        return 1.0 if self.gpus else 0.0

    @property
    def embed_device(self) -> str | None:
        if self.gpus:
            return "cuda"
        return "cpu" if self.device in (None, "", "auto") else self.device
