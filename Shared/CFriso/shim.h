#ifndef VOC_CFRISO_SHIM_H
#define VOC_CFRISO_SHIM_H
#include <friso/friso_API.h>
#include <friso/friso.h>

/* config->next_token is a function pointer inside a struct; this wrapper gives Swift a
 * plain call. Returns NULL when the task's text is exhausted. */
static inline friso_token_t voc_friso_next(friso_t friso, friso_config_t config, friso_task_t task) {
    return config->next_token(friso, config, task);
}
#endif
