#!/bin/bash
# Started by the sample job seq2seq-sweep-3 (`bash $AZ_BATCHAI_MOUNT_ROOT/corpora/scripts/sweep.sh 3`):
# a script that reads Batch AI's variables from its environment, not from its command line.
python "$AZ_BATCHAI_MOUNT_ROOT/corpora/scripts/seq2seq.py" --trial "$1" --work "$AZ_BATCHAI_JOB_TEMP/trial-$1" \
  --logs "$AZ_BATCHAI_STDOUTERR_DIR"
