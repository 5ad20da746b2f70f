import type { ReactNode } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';

/**
 * An alert dialog that asks before something consequential (delete, restore): focus is
 * trapped inside, Escape cancels, the confirming button says what it does.
 */
export function Confirm({
  open,
  title,
  confirm,
  tone = 'primary',
  onConfirm,
  onCancel,
  children,
}: {
  open: boolean;
  title: string;
  confirm: string;
  tone?: 'primary' | 'danger';
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <ModalOverlay isOpen={open} onOpenChange={(o) => !o && onCancel()} isDismissable className="modal-overlay">
      <Modal className="modal editor-modal">
        <Dialog role="alertdialog" className="dialog">
          <Heading slot="title">{title}</Heading>
          <div className="dialog-body">{children}</div>
          <div className="dialog-actions">
            <Button className="btn" onPress={onCancel} autoFocus>
              Cancel
            </Button>
            <Button className={`btn ${tone}`} onPress={onConfirm}>
              {confirm}
            </Button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
