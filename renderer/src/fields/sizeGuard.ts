import { Extension } from '@tiptap/react';
import { Plugin } from '@tiptap/pm/state';
import { dastProblem, proseMirrorToDast } from '../../../shared/domain';

/**
 * Refuses a paste or drop that would make the document one the cell cannot hold (too long,
 * too many nodes, too deep): the document stays as it was and `onRefused` says why. Let
 * through, such a paste left a document every save refused, and the editor blank once it
 * re-rendered from the last saved value; the next keystroke then saved the blank over the
 * article (found in a persona walk). Typing is not checked here: it grows the document a
 * character at a time, and the field's own check says when it is over.
 */
export const SizeGuard = Extension.create<{ onRefused: (problem: string) => void }>({
  name: 'inkstoneSizeGuard',
  addOptions() {
    return { onRefused: () => {} };
  },
  addProseMirrorPlugins() {
    const { onRefused } = this.options;
    return [
      new Plugin({
        filterTransaction: (tr) => {
          const ui: unknown = tr.getMeta('uiEvent');
          if (!tr.docChanged || (ui !== 'paste' && ui !== 'drop')) return true;
          const problem = dastProblem(proseMirrorToDast(tr.doc.toJSON() as Parameters<typeof proseMirrorToDast>[0]));
          if (problem === null) return true;
          onRefused(problem);
          return false;
        },
      }),
    ];
  },
});
